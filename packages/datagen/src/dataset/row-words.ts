import type { SampleColumn } from './sample-chunk';

/** One column of a row source as 32-bit words. */
export interface WordColumn {
  /** The values as 32-bit words (a view, no copy). */
  words: Int32Array;
  /** Words per value: 1 for float32 and indices, 2 for int64. */
  width: number;
  /** List offsets (in values), undefined for scalar columns. */
  offsets: Int32Array | undefined;
}

/** A column's values as words, without a copy. */
export function wordColumnOf(column: SampleColumn): WordColumn {
  const width = column.type === 'float32' ? 1 : 2;
  const values = column.values;
  return {
    words: new Int32Array(values.buffer, values.byteOffset, values.length * width),
    width,
    offsets: column.type === 'list<int64>' ? column.offsets : undefined,
  };
}

/**
 * Lays out one row of some columns (one feature, all features of a dedup group, or a tuple of
 * indices) as 32-bit words in a reused buffer, for `DistinctRowSet`: each scalar as its bit
 * pattern, each list as its length then its values. No BigInt or float is created; `words` grows
 * by doubling.
 */
export class RowWords {
  words = new Int32Array(64);
  #columns: WordColumn[] = [];

  /** Points at the columns of the next chunk (in a fixed order). */
  bind(columns: readonly WordColumn[]): void {
    this.#columns = columns as WordColumn[];
  }

  /** Copies row `row` into `words`; returns the number of words. */
  load(row: number): number {
    let length = 0;
    for (const { words, width, offsets } of this.#columns) {
      const start = offsets === undefined ? row * width : offsets[row] * width;
      const end = offsets === undefined ? start + width : offsets[row + 1] * width;
      const needed = length + 1 + end - start;
      if (needed > this.words.length) this.#grow(needed);
      if (offsets !== undefined) this.words[length++] = (end - start) / width;
      for (let i = start; i < end; i++) this.words[length++] = words[i];
    }
    return length;
  }

  /** True when rows `a` and `b` are equal in every column (compared in place, no copy). */
  sameRows(a: number, b: number): boolean {
    for (const { words, width, offsets } of this.#columns) {
      const startA = offsets === undefined ? a * width : offsets[a] * width;
      const startB = offsets === undefined ? b * width : offsets[b] * width;
      const length = offsets === undefined ? width : (offsets[a + 1] - offsets[a]) * width;
      if (offsets !== undefined && (offsets[b + 1] - offsets[b]) * width !== length) return false;
      for (let i = 0; i < length; i++) if (words[startA + i] !== words[startB + i]) return false;
    }
    return true;
  }

  #grow(needed: number): void {
    let capacity = this.words.length;
    while (capacity < needed) capacity *= 2;
    const grown = new Int32Array(capacity);
    grown.set(this.words);
    this.words = grown;
  }
}
