/**
 * Ids to embedding-table rows: row = id mod n, the mathematical (non-negative) remainder of the
 * signed id, for tables of n rows. A 64-bit id is read as two 32-bit words of its buffer, never as
 * a BigInt: id = high * 2^32 + low (high signed, low unsigned), so
 *
 *     id mod n = ((high mod n) * (2^32 mod n) + low) mod n
 *
 * with every intermediate an exact double: (high mod n) * (2^32 mod n) < n^2 <= 2^52 for
 * n <= 2^26; larger tables fold 2^32 in as two 2^16 steps, exact for n < 2^31.
 */
import { idWords, type IdArray } from '@recd/core';

/** Largest table handled by the one-multiply path. */
const SMALL_TABLE = 2 ** 26;
const TWO_POW_32 = 4294967296;

/** The row of one 64-bit id given as its two words (`high` signed, `low` read as unsigned). */
export function rowOfWords(high: number, low: number, tableSize: number): number {
  const n = tableSize;
  const lowUnsigned = low >>> 0;
  let h = high % n;
  if (h < 0) h += n;
  if (n <= SMALL_TABLE) return (h * (TWO_POW_32 % n) + lowUnsigned) % n;
  return (((h * 65536) % n) * 65536 + lowUnsigned) % n;
}

/** The row of one 32-bit id. */
export function rowOfInt32(id: number, tableSize: number): number {
  const r = id % tableSize;
  return r < 0 ? r + tableSize : r;
}

/** Writes `rows[i] = ids[start + i] mod tableSize` for i in [0, end - start). */
export function idsToRows(ids: IdArray, start: number, end: number, tableSize: number, rows: Int32Array): void {
  if (!(Number.isInteger(tableSize) && tableSize >= 1 && tableSize < 2 ** 31)) {
    throw new RangeError(`idsToRows: expected an integer table size in [1, 2^31), got ${tableSize}`);
  }
  if (ids instanceof Int32Array) {
    for (let i = start; i < end; i++) rows[i - start] = rowOfInt32(ids[i], tableSize);
    return;
  }
  const words = idWords(ids);
  const n = tableSize;
  if (n <= SMALL_TABLE) {
    const wrap = TWO_POW_32 % n;
    for (let i = start; i < end; i++) {
      let h = words[2 * i + 1] % n;
      if (h < 0) h += n;
      rows[i - start] = (h * wrap + (words[2 * i] >>> 0)) % n;
    }
    return;
  }
  for (let i = start; i < end; i++) rows[i - start] = rowOfWords(words[2 * i + 1], words[2 * i], n);
}
