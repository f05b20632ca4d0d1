import type { LogRows } from './log-rows';
import type { LogSchema } from './log-schema';

/** Renames header columns the schema lists in `aliases` (e.g. diginetica's snake-case copy). */
export function withAliases(rows: LogRows, schema: LogSchema): LogRows {
  const aliases = schema.aliases;
  if (!aliases || !rows.columns.some((column) => column in aliases)) return rows;
  return new RenamedRows(rows, rows.columns.map((column) => aliases[column] ?? column));
}

/** The same rows under other column names. */
class RenamedRows implements LogRows {
  readonly #rows: LogRows;
  readonly columns: readonly string[];
  constructor(rows: LogRows, columns: readonly string[]) {
    this.#rows = rows;
    this.columns = columns;
  }
  get file(): string {
    return this.#rows.file;
  }
  get rowCount(): number {
    return this.#rows.rowCount;
  }
  get lineNumbers(): Int32Array {
    return this.#rows.lineNumbers;
  }
  columnIndex(name: string): number {
    return this.columns.indexOf(name);
  }
  string(row: number, field: number): string {
    return this.#rows.string(row, field);
  }
  float(row: number, field: number): number {
    return this.#rows.float(row, field);
  }
  int64Words(row: number, field: number, words: Int32Array, wordIndex: number): void {
    this.#rows.int64Words(row, field, words, wordIndex);
  }
}
