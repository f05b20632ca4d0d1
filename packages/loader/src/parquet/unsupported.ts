/**
 * A valid Parquet feature the JavaScript reader does not decode (a codec, an encoding, deeper
 * nesting): not an error in the file, so the row group is read with parquet-wasm instead.
 */
export class UnsupportedParquetError extends Error {
  constructor(what: string) {
    super(`the JavaScript Parquet reader does not support ${what}`);
    this.name = 'UnsupportedParquetError';
  }
}
