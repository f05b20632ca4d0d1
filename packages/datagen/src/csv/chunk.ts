/**
 * A block of parsed CSV rows: the raw bytes plus, for field j of row i at k = i * fieldCount + j,
 * its byte span `bytes[fieldStarts[k] .. fieldEnds[k])` (inside the quotes for a quoted field) and
 * whether it holds doubled quotes to collapse. Nothing is decoded until an accessor asks, so a
 * caller reading three of twenty columns pays for three.
 *
 * ```
 * // user_id,item,price\n 7,"a ""b""",1.5\n
 * chunk.rowCount;          // 1
 * chunk.lineNumbers[0];    // 2
 * chunk.int(0, 0);         // 7
 * chunk.string(0, 1);      // 'a "b"'
 * chunk.float(0, 2);       // 1.5
 * ```
 */
import { InputError, KeyError, excerpt } from '@recd/core/dist/errors';
import type { RejectedRow } from './rejected-row';
import { fieldText } from './field-text';
import { isNanText, parseFloat64, parseInt64Words, parseSafeInteger } from './parse-number';

export interface CsvChunkInit {
  file: string;
  columns: readonly string[];
  bytes: Buffer;
  rowCount: number;
  fieldStarts: Int32Array;
  fieldEnds: Int32Array;
  fieldEscaped: Uint8Array;
  lineNumbers: Int32Array;
  rejected: readonly RejectedRow[];
  /** The quote byte, or -1 when quoting is off. */
  quote: number;
}

export class CsvChunk {
  /** The file (or stream name) errors report. */
  readonly file: string;
  /** Column names; their count is the number of fields in every row. */
  readonly columns: readonly string[];
  /** The bytes the offsets point into (may run past the last row, into an unfinished one). */
  readonly bytes: Buffer;
  readonly rowCount: number;
  /** Start of each field, row-major: field j of row i is at i * fieldCount + j. */
  readonly fieldStarts: Int32Array;
  /** End (exclusive) of each field. */
  readonly fieldEnds: Int32Array;
  /** 1 where a quoted field holds doubled quotes, which `string()` collapses. */
  readonly fieldEscaped: Uint8Array;
  /** 1-based line of the file where each row starts. */
  readonly lineNumbers: Int32Array;
  /** Rows of this chunk's stretch of the file dropped in `onError: 'skip'` mode. */
  readonly rejected: readonly RejectedRow[];
  readonly #quote: number;
  #columnIndex: Map<string, number> | undefined;

  constructor(init: CsvChunkInit) {
    this.file = init.file;
    this.columns = init.columns;
    this.bytes = init.bytes;
    this.rowCount = init.rowCount;
    this.fieldStarts = init.fieldStarts;
    this.fieldEnds = init.fieldEnds;
    this.fieldEscaped = init.fieldEscaped;
    this.lineNumbers = init.lineNumbers;
    this.rejected = init.rejected;
    this.#quote = init.quote;
  }

  /** The quote byte, or -1 when quoting is off. */
  get quote(): number {
    return this.#quote;
  }

  get fieldCount(): number {
    return this.columns.length;
  }

  /** The index of the column named `name` (look it up once, outside the row loop). */
  columnIndex(name: string): number {
    this.#columnIndex ??= new Map(this.columns.map((column, i) => [column, i]));
    const index = this.#columnIndex.get(name);
    if (index === undefined) throw new KeyError(`no column "${name}"; columns are ${this.columns.join(', ')}`);
    return index;
  }

  /** Field j of row i as text (UTF-8, quotes collapsed). */
  string(row: number, field: number): string {
    const k = this.#at(row, field);
    return fieldText(this.bytes, this.fieldStarts[k], this.fieldEnds[k], this.fieldEscaped[k] === 1, this.#quote);
  }

  /** The bytes of field j of row i and its span in `span[0 .. 2)`, or undefined when it holds doubled quotes (only `string()` collapses them). */
  fieldSpan(row: number, field: number, span: Int32Array): Buffer | undefined {
    const k = this.#at(row, field);
    if (this.fieldEscaped[k] === 1) return undefined;
    span[0] = this.fieldStarts[k];
    span[1] = this.fieldEnds[k];
    return this.bytes;
  }

  isEmpty(row: number, field: number): boolean {
    const k = this.#at(row, field);
    return this.fieldStarts[k] === this.fieldEnds[k];
  }

  /** An integer within +-(2^53 - 1); throws InputError naming the line and column otherwise. */
  int(row: number, field: number): number {
    const k = this.#at(row, field);
    const value = parseSafeInteger(this.bytes, this.fieldStarts[k], this.fieldEnds[k]);
    if (value !== value) this.#fail(row, field, 'an integer within +-(2^53 - 1)');
    return value;
  }

  /** A float (`1.5`, `-2e-3`, `nan`, `inf`); throws InputError naming the line and column otherwise. */
  float(row: number, field: number): number {
    const k = this.#at(row, field);
    const start = this.fieldStarts[k];
    const end = this.fieldEnds[k];
    const value = parseFloat64(this.bytes, start, end);
    if (value !== value && !isNanText(this.bytes, start, end)) this.#fail(row, field, 'a number');
    return value;
  }

  /**
   * A signed 64-bit integer written, without a BigInt, as two words at `words[wordIndex]` (low)
   * and `words[wordIndex + 1]` (high): pass an Int32Array view of a BigInt64Array and 2 * index.
   */
  int64Words(row: number, field: number, words: Int32Array, wordIndex: number): void {
    const k = this.#at(row, field);
    if (!parseInt64Words(this.bytes, this.fieldStarts[k], this.fieldEnds[k], words, wordIndex)) {
      this.#fail(row, field, 'a 64-bit integer');
    }
  }

  /** Column `field` of every row as text. */
  stringColumn(field: number): string[] {
    const out = new Array<string>(this.rowCount);
    for (let row = 0; row < this.rowCount; row++) out[row] = this.string(row, field);
    return out;
  }

  /** Column `field` as integers written to `out[at ..]` (a new Float64Array by default); an Int32Array out also rejects values outside int32. */
  intColumn(field: number): Float64Array;
  intColumn<T extends Int32Array | Float64Array>(field: number, out: T, at?: number): T;
  intColumn(field: number, out?: Int32Array | Float64Array, at = 0): Int32Array | Float64Array {
    const target = out ?? new Float64Array(this.rowCount);
    this.#checkTarget(field, target.length, at);
    const int32 = target instanceof Int32Array;
    const { bytes, fieldStarts, fieldEnds } = this;
    for (let row = 0, k = field; row < this.rowCount; row++, k += this.fieldCount) {
      const value = parseSafeInteger(bytes, fieldStarts[k], fieldEnds[k]);
      if (value !== value || (int32 && (value | 0) !== value)) this.#fail(row, field, int32 ? 'a 32-bit integer' : 'an integer within +-(2^53 - 1)');
      target[at + row] = value;
    }
    return target;
  }

  /** Column `field` as floats written to `out[at ..]` (a new Float64Array by default). */
  floatColumn(field: number): Float64Array;
  floatColumn<T extends Float64Array | Float32Array>(field: number, out: T, at?: number): T;
  floatColumn(field: number, out?: Float64Array | Float32Array, at = 0): Float64Array | Float32Array {
    const target = out ?? new Float64Array(this.rowCount);
    this.#checkTarget(field, target.length, at);
    const { bytes, fieldStarts, fieldEnds } = this;
    for (let row = 0, k = field; row < this.rowCount; row++, k += this.fieldCount) {
      const value = parseFloat64(bytes, fieldStarts[k], fieldEnds[k]);
      if (value !== value && !isNanText(bytes, fieldStarts[k], fieldEnds[k])) this.#fail(row, field, 'a number');
      target[at + row] = value;
    }
    return target;
  }

  /** Column `field` as 64-bit integers written to `out[at ..]` through a word view (no BigInt per value). */
  int64Column(field: number, out?: BigInt64Array, at = 0): BigInt64Array {
    const target = out ?? new BigInt64Array(this.rowCount);
    this.#checkTarget(field, target.length, at);
    const words = new Int32Array(target.buffer, target.byteOffset, target.length * 2);
    const { bytes, fieldStarts, fieldEnds } = this;
    for (let row = 0, k = field; row < this.rowCount; row++, k += this.fieldCount) {
      if (!parseInt64Words(bytes, fieldStarts[k], fieldEnds[k], words, 2 * (at + row))) this.#fail(row, field, 'a 64-bit integer');
    }
    return target;
  }

  #at(row: number, field: number): number {
    if (!(row >= 0 && row < this.rowCount && field >= 0 && field < this.fieldCount)) {
      throw new RangeError(`field (${row}, ${field}) is outside ${this.rowCount} rows x ${this.fieldCount} fields`);
    }
    return row * this.fieldCount + field;
  }

  #checkTarget(field: number, length: number, at: number): void {
    if (!(field >= 0 && field < this.fieldCount)) throw new RangeError(`field ${field} is outside 0 .. ${this.fieldCount - 1}`);
    if (!(at >= 0 && at + this.rowCount <= length)) {
      throw new RangeError(`output holds ${length} values; ${this.rowCount} rows at ${at} do not fit`);
    }
  }

  #fail(row: number, field: number, expected: string): never {
    const location = { file: this.file, line: this.lineNumbers[row], field: this.columns[field] };
    throw new InputError(location, `expected ${expected}, got ${excerpt(this.string(row, field))}`);
  }
}
