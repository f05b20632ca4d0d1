import type { IdArray } from '@recd/core';

/**
 * One id feature of a chunk of rows, columnar: row `r` holds `values[offsets[r] .. offsets[r + 1])`.
 * `offsets` is undefined for a feature with exactly one id per row (an int64 column), which saves
 * the offsets and lets copies run as one range.
 */
export interface JaggedColumn {
  offsets: Int32Array | undefined;
  values: IdArray;
}

export function columnRows(column: JaggedColumn): number {
  return column.offsets === undefined ? column.values.length : column.offsets.length - 1;
}

/**
 * Int32 ids, told by element size rather than `instanceof`: arrays that arrive from a worker
 * thread are made by the main realm's constructors, which under a sandbox (Jest's vm context)
 * are not the ones `instanceof` sees.
 */
export function isInt32Ids(values: IdArray): values is Int32Array {
  return values.BYTES_PER_ELEMENT === 4;
}

/** The ids as 32-bit words (a view: two words per int64 id, low first). */
export function wordsOf(values: IdArray): Int32Array {
  return isInt32Ids(values) ? values : new Int32Array(values.buffer, values.byteOffset, values.length * 2);
}
