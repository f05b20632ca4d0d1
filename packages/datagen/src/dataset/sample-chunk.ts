/**
 * A chunk of training samples in columnar form, the unit that moves from sample generation to
 * the Parquet writer. No per-row objects: every column is one typed array (lists as offsets plus
 * values, like Arrow's List layout).
 */
export type SampleColumn =
  | { name: string; type: 'float32'; values: Float32Array }
  | { name: string; type: 'int64'; values: BigInt64Array }
  /** `offsets` has length + 1 entries starting at 0; row i is values[offsets[i] .. offsets[i+1]). */
  | { name: string; type: 'list<int64>'; offsets: Int32Array; values: BigInt64Array };

export type SampleColumnType = SampleColumn['type'];

export interface SampleChunk {
  /** Number of samples (rows). */
  length: number;
  /** Columns in dataset order; every chunk of a dataset has the same names and types. */
  columns: SampleColumn[];
}
