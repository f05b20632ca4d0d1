/**
 * Id transform kernels over jagged columns. Ids are read as 32-bit words through a view of the
 * same buffer (two words per int64 id, low word first): no BigInt is made per id. Int32 ids are
 * treated as the int64 ids of the same value, so `modulo` and `hash` give the same row for an id
 * whether it is still 64-bit or already 32-bit.
 */
import { IdArray, IdType } from '@recd/core';
import { JaggedColumn, columnRows, isInt32Ids, wordsOf } from './jagged-column';
import type { ResolvedIdTransform } from './transforms';

/** Runs `chain` left to right, then converts the ids to `idType` (Int32 rows widen to int64 if asked). */
export function applyIdTransforms(column: JaggedColumn, chain: readonly ResolvedIdTransform[], idType: IdType): JaggedColumn {
  let current = column;
  for (const transform of chain) {
    switch (transform.kind) {
      case 'modulo':
        current = { offsets: current.offsets, values: moduloIds(current.values, transform.tableSize) };
        break;
      case 'hash':
        current = { offsets: current.offsets, values: hashIds(current.values, transform.tableSize, transform.seed) };
        break;
      case 'truncate':
        current = truncateRows(current, transform.maxLength, transform.keep);
        break;
      case 'pad':
        current = padRows(current, transform.length, transform.value);
        break;
    }
  }
  return { offsets: current.offsets, values: convertIds(current.values, idType) };
}

const TWO_32 = 4294967296;
/** |hi| below this: hi * 2^32 + lo is below 2^53, exact as a double. */
const EXACT_HI = 2097152;

/**
 * Floor-mod of each signed id by `m` (1 <= m < 2^31): a table row in [0, m). A power-of-two `m`
 * keeps the low bits (two's complement makes that the floor-mod of any signed id); ids in
 * [0, 2^31) take an int32 `%`; the rest go through exact double arithmetic.
 */
export function moduloIds(values: IdArray, m: number): Int32Array {
  const n = values.length;
  const out = new Int32Array(n);
  const mask = (m & (m - 1)) === 0 ? m - 1 : -1;
  if (isInt32Ids(values)) {
    if (mask >= 0) for (let i = 0; i < n; i++) out[i] = values[i] & mask;
    else
      for (let i = 0; i < n; i++) {
        const r = values[i] % m;
        out[i] = r < 0 ? r + m : r;
      }
    return out;
  }
  const words = wordsOf(values);
  const highFactor = TWO_32 % m;
  for (let i = 0; i < n; i++) out[i] = moduloAt(words, i, m, mask, highFactor);
  return out;
}

/**
 * The row of int64 id `i` of `words`: `mask` is m - 1 for a power-of-two m (else -1) and
 * `highFactor` is 2^32 mod m, both fixed per call.
 */
export function moduloAt(words: Int32Array, i: number, m: number, mask: number, highFactor: number): number {
  const lo = words[2 * i];
  if (mask >= 0) return lo & mask;
  const hi = words[2 * i + 1];
  if (hi === 0 && lo >= 0) return lo % m;
  return moduloWords(lo >>> 0, hi, m, highFactor);
}

function moduloWords(lo: number, hi: number, m: number, highFactor: number): number {
  if (hi > -EXACT_HI && hi < EXACT_HI) {
    const r = (hi * TWO_32 + lo) % m;
    return r < 0 ? r + m : r;
  }
  let hiMod = hi % m;
  if (hiMod < 0) hiMod += m;
  return (mulMod(hiMod, highFactor, m) + (lo % m)) % m;
}

/** a * b mod m for 0 <= a, b < m < 2^31, exact: b is split into 16-bit halves so no product reaches 2^53. */
function mulMod(a: number, b: number, m: number): number {
  const high = (a * Math.floor(b / 65536)) % m;
  return (high * 65536 + a * (b % 65536)) % m;
}

/** murmur3 (x86, 32-bit) of each id's 8 little-endian bytes with `seed`; its low 31 bits mod `m`. */
export function hashIds(values: IdArray, m: number, seed: number): Int32Array {
  const n = values.length;
  const out = new Int32Array(n);
  const mask = (m & (m - 1)) === 0 ? m - 1 : -1;
  if (isInt32Ids(values)) {
    for (let i = 0; i < n; i++) {
      const h = murmurId(values[i], values[i] >> 31, seed) & 0x7fffffff;
      out[i] = mask >= 0 ? h & mask : h % m;
    }
    return out;
  }
  const words = wordsOf(values);
  for (let i = 0; i < n; i++) out[i] = hashAt(words, i, m, mask, seed);
  return out;
}

/** The row of int64 id `i` of `words` under `hash(m, seed)`; `mask` as for moduloAt. */
export function hashAt(words: Int32Array, i: number, m: number, mask: number, seed: number): number {
  const h = murmurId(words[2 * i], words[2 * i + 1], seed) & 0x7fffffff;
  return mask >= 0 ? h & mask : h % m;
}

function murmurId(lo: number, hi: number, seed: number): number {
  let h = seed | 0;
  let k = Math.imul(lo, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h ^= k;
  h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  k = Math.imul(hi, 0xcc9e2d51);
  k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
  h ^= k;
  h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  h ^= 8;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** At most `maxLength` ids per row: the first or the last ones. Returns `column` itself when no row is longer. */
export function truncateRows(column: JaggedColumn, maxLength: number, keep: 'first' | 'last'): JaggedColumn {
  const offsets = column.offsets;
  if (offsets === undefined) return column; // one id per row, and maxLength >= 1
  const rows = offsets.length - 1;
  let total = 0;
  let longer = false;
  for (let r = 0; r < rows; r++) {
    const length = offsets[r + 1] - offsets[r];
    if (length > maxLength) {
      longer = true;
      total += maxLength;
    } else total += length;
  }
  if (!longer) return column;
  const values = allocateLike(column.values, total);
  const source = wordsOf(column.values);
  const target = wordsOf(values);
  const w = column.values.BYTES_PER_ELEMENT >> 2;
  const newOffsets = new Int32Array(rows + 1);
  let to = 0;
  for (let r = 0; r < rows; r++) {
    let start = offsets[r];
    let end = offsets[r + 1];
    if (end - start > maxLength) {
      if (keep === 'last') start = end - maxLength;
      else end = start + maxLength;
    }
    for (let j = start * w; j < end * w; j++) target[to++] = source[j];
    newOffsets[r + 1] = to / w;
  }
  return { offsets: newOffsets, values };
}

/** Rows shorter than `length` get `value` appended until they hold `length` ids. */
export function padRows(column: JaggedColumn, length: number, value: number): JaggedColumn {
  const rows = columnRows(column);
  const offsets = column.offsets ?? identityOffsets(rows);
  let total = 0;
  let shorter = false;
  for (let r = 0; r < rows; r++) {
    const rowLength = offsets[r + 1] - offsets[r];
    if (rowLength < length) shorter = true;
    total += Math.max(rowLength, length);
  }
  if (!shorter) return column;
  const values = allocateLike(column.values, total);
  const source = wordsOf(column.values);
  const target = wordsOf(values);
  const w = column.values.BYTES_PER_ELEMENT >> 2;
  const padWords = wordsOf(padValueOf(column.values, value));
  const newOffsets = new Int32Array(rows + 1);
  let to = 0;
  for (let r = 0; r < rows; r++) {
    const start = offsets[r];
    const end = offsets[r + 1];
    for (let j = start * w; j < end * w; j++) target[to++] = source[j];
    for (let p = end - start; p < length; p++) for (let j = 0; j < w; j++) target[to++] = padWords[j];
    newOffsets[r + 1] = to / w;
  }
  return { offsets: newOffsets, values };
}

function padValueOf(like: IdArray, value: number): IdArray {
  if (isInt32Ids(like)) return Int32Array.of(value);
  return BigInt64Array.of(BigInt(value)); // one BigInt per call, not per id
}

function identityOffsets(rows: number): Int32Array {
  const offsets = new Int32Array(rows + 1);
  for (let r = 0; r <= rows; r++) offsets[r] = r;
  return offsets;
}

function allocateLike(like: IdArray, length: number): IdArray {
  return isInt32Ids(like) ? new Int32Array(length) : new BigInt64Array(length);
}

/** Ids as `idType`: Int32 widens to int64 by sign extension; int64 never narrows here (the plan forbids it). */
export function convertIds(values: IdArray, idType: IdType): IdArray {
  if (idType === 'int32') {
    if (!isInt32Ids(values)) throw new Error('convertIds: int64 ids need a modulo or hash transform to become Int32 rows');
    return values;
  }
  if (!isInt32Ids(values)) return values;
  const out = new BigInt64Array(values.length);
  const words = wordsOf(out);
  for (let i = 0; i < values.length; i++) {
    words[2 * i] = values[i];
    words[2 * i + 1] = values[i] >> 31;
  }
  return out;
}
