import type { RecordBatch, Vector } from 'apache-arrow';
import { InputError, excerpt } from '@recd/core';
import type { LogRows } from './log-rows';

const TWO_32 = 4294967296;

/**
 * Log rows from an Arrow record batch (a Parquet or Arrow IPC log). Integer columns are read
 * through their typed arrays; other types through Arrow's accessors. Row numbers (1-based,
 * counted over the whole file) stand in for line numbers in messages.
 */
export class ArrowLogRows implements LogRows {
  readonly file: string;
  readonly columns: readonly string[];
  readonly rowCount: number;
  readonly lineNumbers: Int32Array;
  readonly #vectors: Vector[];
  /** Per column: int64 words when the column is a non-null 64-bit integer column, else undefined. */
  readonly #words: (Int32Array | undefined)[];

  constructor(file: string, batch: RecordBatch, firstRow: number) {
    this.file = file;
    this.columns = batch.schema.fields.map((field) => field.name);
    this.rowCount = batch.numRows;
    this.lineNumbers = Int32Array.from({ length: batch.numRows }, (_, i) => firstRow + i + 1);
    this.#vectors = this.columns.map((_, j) => batch.getChildAt(j)!);
    this.#words = this.#vectors.map((vector) => {
      const data = vector.data.length === 1 ? vector.data[0] : undefined;
      if (!data || data.nullCount > 0 || !(data.values instanceof BigInt64Array)) return undefined;
      const values = data.values.subarray(data.offset, data.offset + data.length);
      return new Int32Array(values.buffer, values.byteOffset, 2 * values.length);
    });
  }

  columnIndex(name: string): number {
    return this.columns.indexOf(name);
  }

  string(row: number, field: number): string {
    const value: unknown = this.#vectors[field].get(row);
    if (value === null || value === undefined) return '';
    if (value instanceof Date) return value.toISOString();
    return String(value);
  }

  float(row: number, field: number): number {
    const value: unknown = this.#vectors[field].get(row);
    if (typeof value === 'number') return value;
    if (typeof value === 'bigint') return Number(value);
    if (value instanceof Date) return value.getTime();
    const parsed = typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (Number.isNaN(parsed)) this.#fail(row, field, `expected a number, got ${value === null ? 'null' : excerpt(String(value))}`);
    return parsed;
  }

  int64Words(row: number, field: number, words: Int32Array, wordIndex: number): void {
    const direct = this.#words[field];
    if (direct) {
      words[wordIndex] = direct[2 * row];
      words[wordIndex + 1] = direct[2 * row + 1];
      return;
    }
    const value: unknown = this.#vectors[field].get(row);
    if (typeof value === 'number' && Number.isSafeInteger(value)) {
      words[wordIndex] = value >>> 0;
      words[wordIndex + 1] = Math.floor(value / TWO_32);
      return;
    }
    let big: bigint | undefined;
    if (typeof value === 'bigint') big = value;
    else if (typeof value === 'string' && /^[+-]?\d+$/.test(value)) big = BigInt(value);
    if (big === undefined || big < -(2n ** 63n) || big >= 2n ** 63n) {
      this.#fail(row, field, `expected a 64-bit integer, got ${value === null || value === undefined ? 'null' : excerpt(String(value))}`);
    }
    const pair = new BigInt64Array([big]);
    const pairWords = new Int32Array(pair.buffer);
    words[wordIndex] = pairWords[0];
    words[wordIndex + 1] = pairWords[1];
  }

  #fail(row: number, field: number, problem: string): never {
    throw new InputError({ file: this.file, line: this.lineNumbers[row], field: this.columns[field] }, problem);
  }
}
