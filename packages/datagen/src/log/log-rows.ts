/**
 * What event extraction needs from a block of log rows, whatever the file format: the CSV
 * reader's chunks provide it directly, Parquet and Arrow logs through an adapter. Accessors throw
 * an InputError naming the file, line and column when a field does not parse.
 */
export interface LogRows {
  readonly file: string;
  readonly columns: readonly string[];
  readonly rowCount: number;
  /** 1-based line (CSV) or row number (Parquet, Arrow) of each row, for messages. */
  readonly lineNumbers: Int32Array;
  columnIndex(name: string): number;
  string(row: number, field: number): string;
  float(row: number, field: number): number;
  /** Writes a signed 64-bit integer as two words (low, high) at `words[wordIndex]`. */
  int64Words(row: number, field: number, words: Int32Array, wordIndex: number): void;
  /**
   * Where the field's UTF-8 text lies, when it can be read from the bytes as they are: returns the
   * bytes and writes the start and end into `span[0]`, `span[1]`; undefined when only `string()`
   * gives the text (e.g. a CSV field with doubled quotes). Optional: extraction without it decodes
   * every field it looks at (the plain twin of the byte-level checks, field-bytes.ts).
   */
  fieldSpan?(row: number, field: number, span: Int32Array): Buffer | undefined;
}
