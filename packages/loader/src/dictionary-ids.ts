/**
 * Id columns as Parquet stores them when dictionary-encoded: per value a code into a dictionary of
 * distinct int64 ids. Kept coded from the reader to the transforms, two things get cheaper:
 *
 * - `modulo` and `hash` act on each id alone, so they run once per dictionary entry and every
 *   value becomes a lookup of its code (`transformDictionaryIds`); the int64 ids are never
 *   written out per value.
 * - Rows with equal codes have equal ids, so run detection compares 4-byte codes instead of
 *   8-byte ids, then checks the few rows it marked by id (`unmarkEqualRows`).
 *
 * Any other chain takes `materializeIds` first, the plain path, which is also what the coded paths
 * are tested against.
 */
import type { IdType } from '@recd/core';
import type { SampleColumn } from '@recd/datagen';
import { hashIds, moduloIds } from './id-transforms';
import { JaggedColumn, wordsOf } from './jagged-column';
import { fusedChain } from './run-rows';
import type { ResolvedIdTransform } from './transforms';

export interface DictionaryColumn {
  name: string;
  type: 'int64' | 'list<int64>';
  /** list<int64>: row r holds codes[offsets[r] .. offsets[r + 1]); int64: undefined, one code per row. */
  offsets: Int32Array | undefined;
  codes: Int32Array;
  dictionary: BigInt64Array;
}

/** A decoded column: plain typed arrays, or dictionary-coded ids. */
export type DecodedColumn = SampleColumn | DictionaryColumn;

export interface DecodedChunk {
  length: number;
  columns: DecodedColumn[];
}

export function isDictionaryColumn(column: DecodedColumn): column is DictionaryColumn {
  return 'codes' in column;
}

/** The ids themselves (copies): dictionary[codes[i]] for every value. */
export function materializeIds(column: DictionaryColumn): JaggedColumn {
  const { codes, dictionary } = column;
  const entries = dictionary.length;
  const words = new Int32Array(codes.length * 2);
  const source = new Int32Array(dictionary.buffer, dictionary.byteOffset, entries * 2);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i];
    if (code >>> 0 >= entries) throw new Error(`column "${column.name}": code ${code} of a dictionary of ${entries}`);
    words[2 * i] = source[2 * code];
    words[2 * i + 1] = source[2 * code + 1];
  }
  return { offsets: column.offsets, values: new BigInt64Array(words.buffer) };
}

/** The column as a SampleColumn (copies the ids out). */
export function materializeColumn(column: DecodedColumn): SampleColumn {
  if (!isDictionaryColumn(column)) return column;
  const { values } = materializeIds(column);
  const ids = values as BigInt64Array;
  return column.offsets === undefined ? { name: column.name, type: 'int64', values: ids } : { name: column.name, type: 'list<int64>', offsets: column.offsets, values: ids };
}

/**
 * Run starts found on codes, made exact: a dictionary may hold an id twice (parquet writers do
 * not, but the format allows it), and then rows with different codes can still be equal. Every
 * marked row is compared with the row before it by id, key by key; when all keys are equal the
 * mark is removed. Rows that differ usually do so at their first id, so this costs about one
 * comparison per run, not one per id. Rows marked in `exact` (where other keys, not in `keys`,
 * differ from the row before: known boundaries) are left marked without a look; elsewhere those
 * other keys must be equal to the row before.
 */
export function unmarkEqualRows(keys: readonly (JaggedColumn | DictionaryColumn)[], rows: number, flags: Uint8Array, exact?: Uint8Array): void {
  // per key, once: ids as 32-bit words (of the dictionary for coded keys) and where rows start
  const views = keys.map((key) =>
    'codes' in key
      ? { offsets: key.offsets, codes: key.codes, words: new Int32Array(key.dictionary.buffer, key.dictionary.byteOffset, key.dictionary.length * 2), w: 2 }
      : { offsets: key.offsets, codes: undefined, words: wordsOf(key.values), w: key.values.BYTES_PER_ELEMENT >> 2 },
  );
  for (let r = 1; r < rows; r++) {
    if (flags[r] === 0 || (exact !== undefined && exact[r] === 1)) continue;
    let equal = true;
    for (let k = 0; k < views.length && equal; k++) {
      const view = views[k];
      equal = view.codes ? codedRowsEqual(view.offsets, view.codes, view.words, r - 1, r) : plainRowsEqual(view.offsets, view.words, view.w, r - 1, r);
    }
    if (equal) flags[r] = 0;
  }
}

function codedRowsEqual(offsets: Int32Array | undefined, codes: Int32Array, words: Int32Array, a: number, b: number): boolean {
  const startA = offsets === undefined ? a : offsets[a];
  const startB = offsets === undefined ? b : offsets[b];
  const length = offsets === undefined ? 1 : offsets[a + 1] - startA;
  if (offsets !== undefined && length !== offsets[b + 1] - startB) return false;
  for (let j = 0; j < length; j++) {
    const x = codes[startA + j];
    const y = codes[startB + j];
    if (x !== y && (words[2 * x] !== words[2 * y] || words[2 * x + 1] !== words[2 * y + 1])) return false;
  }
  return true;
}

function plainRowsEqual(offsets: Int32Array | undefined, words: Int32Array, w: number, a: number, b: number): boolean {
  const startA = offsets === undefined ? a : offsets[a];
  const startB = offsets === undefined ? b : offsets[b];
  const length = offsets === undefined ? 1 : offsets[a + 1] - startA;
  if (offsets !== undefined && length !== offsets[b + 1] - startB) return false;
  for (let j = 0; j < length * w; j++) if (words[startA * w + j] !== words[startB * w + j]) return false;
  return true;
}

/**
 * `chain` applied to the rows `rows` selects (run starts, then the row count; undefined: every
 * row), through the dictionary: the reduce (`modulo` or `hash`) runs once per entry, truncation on
 * the codes. Undefined when the chain is not `[truncate?, modulo | hash]` into Int32 rows.
 */
export function transformDictionaryIds(column: DictionaryColumn, chain: readonly ResolvedIdTransform[], idType: IdType, rows?: Int32Array): JaggedColumn | undefined {
  const fused = fusedChain(column.dictionary, chain, idType);
  if (fused === undefined) return undefined;
  const { maxLength, keepLast, reduce } = fused;
  const table = reduce.kind === 'hash' ? hashIds(column.dictionary, reduce.tableSize, reduce.seed) : moduloIds(column.dictionary, reduce.tableSize);
  const entries = table.length;
  const { codes, offsets } = column;
  const all = offsets === undefined ? codes.length : offsets.length - 1;
  const count = rows === undefined ? all : rows.length - 1;
  const bad = (code: number): Error => new Error(`column "${column.name}": code ${code} of a dictionary of ${entries}`);
  if (offsets === undefined) {
    const values = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const code = codes[rows === undefined ? i : rows[i]];
      if (code >>> 0 >= entries) throw bad(code);
      values[i] = table[code];
    }
    return { offsets: undefined, values };
  }
  const newOffsets = new Int32Array(count + 1);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const row = rows === undefined ? i : rows[i];
    total += Math.min(offsets[row + 1] - offsets[row], maxLength);
    newOffsets[i + 1] = total;
  }
  const values = new Int32Array(total);
  let to = 0;
  for (let i = 0; i < count; i++) {
    const row = rows === undefined ? i : rows[i];
    let start = offsets[row];
    let end = offsets[row + 1];
    if (end - start > maxLength) {
      if (keepLast) start = end - maxLength;
      else end = start + maxLength;
    }
    for (let j = start; j < end; j++) {
      const code = codes[j];
      if (code >>> 0 >= entries) throw bad(code);
      values[to++] = table[code];
    }
  }
  return { offsets: newOffsets, values };
}
