import { DistinctRowSet, hashWords } from './distinct-rows';
import { RowWords, WordColumn } from './row-words';

/**
 * Numbers rows by their distinct value, in first-seen order, across the chunks of a stream: equal
 * rows get equal numbers. A row equal to the one before it (most rows of a session-constant
 * feature in session order) costs one in-place comparison, no copy, hash or probe.
 */
export class RowNumbering {
  readonly #set = new DistinctRowSet();
  readonly #row = new RowWords();
  #numbers = new Int32Array(1024);
  /** The last row of the previous chunk, to compare the next chunk's first row with. */
  #last = new Int32Array(16);
  #lastLength = -1;
  #lastNumber = -1;

  /** Distinct rows seen so far. */
  get distinct(): number {
    return this.#set.size;
  }

  /** The numbers of `rows` rows of `columns`, in a buffer reused by the next call. */
  number(columns: readonly WordColumn[], rows: number): Int32Array {
    if (this.#numbers.length < rows) this.#numbers = new Int32Array(Math.max(rows, 2 * this.#numbers.length));
    const numbers = this.#numbers;
    const row = this.#row;
    row.bind(columns);
    for (let i = 0; i < rows; i++) {
      if (i > 0 && row.sameRows(i, i - 1)) {
        numbers[i] = numbers[i - 1];
        continue;
      }
      const length = row.load(i);
      numbers[i] = i === 0 && this.#sameAsLast(row.words, length) ? this.#lastNumber : this.#set.add(row.words, length, hashWords(row.words, length));
    }
    if (rows > 0) this.#remember(row, rows - 1, numbers[rows - 1]);
    return numbers.subarray(0, rows);
  }

  #sameAsLast(words: Int32Array, length: number): boolean {
    if (length !== this.#lastLength) return false;
    for (let i = 0; i < length; i++) if (this.#last[i] !== words[i]) return false;
    return true;
  }

  #remember(row: RowWords, index: number, number: number): void {
    const length = row.load(index);
    if (this.#last.length < length) this.#last = new Int32Array(Math.max(length, 2 * this.#last.length));
    this.#last.set(row.words.subarray(0, length));
    this.#lastLength = length;
    this.#lastNumber = number;
  }
}
