/**
 * A trainable tensor: values and their gradient, row-major, with a shape. Embedding tables are
 * `sparse`: their gradient is kept only for the rows a step touched (`touchedRows`), so an
 * optimizer updates those rows and nothing else.
 */
export interface Parameter {
  readonly name: string;
  readonly shape: readonly number[];
  readonly value: Float32Array;
  /** Same length as value (dense) or as value too for sparse tables, but only touched rows are meaningful. */
  readonly grad: Float32Array;
  /** For embedding tables: the rows whose gradient is set this step (unique, any order). */
  sparse?: { rowSize: number; touchedRows: Int32Array; touchedCount: number };
}

export function parameter(name: string, shape: readonly number[]): Parameter {
  const size = shape.reduce((a, b) => a * b, 1);
  return { name, shape, value: new Float32Array(size), grad: new Float32Array(size) };
}
