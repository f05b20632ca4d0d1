import type { IdType, InverseKeyedJaggedTensor, KeyedJaggedTensor } from '@recd/core';

/**
 * One training batch (DESIGN 3.3, the trainer's `TrainingBatch`): `size` samples, their labels, a
 * row-major `size x numDense` matrix, the per-sample sparse and sequence features as a KJT, and
 * the session-constant features as an IKJT (dedup on: unique rows plus an inverse index per dedup
 * group) or a KJT (dedup off). Expanding the IKJT gives exactly the KJT dedup off gives.
 */
export interface Batch {
  size: number;
  labels: Float32Array;
  dense: Float32Array;
  sparse: KeyedJaggedTensor;
  sessionSparse: KeyedJaggedTensor | InverseKeyedJaggedTensor;
}

/** What every batch of a dataset holds: key and column names, sizes a model needs. */
export interface BatchLayout {
  /** Keys of `sparse`: per-sample sparse and sequence features, then bucketized dense features. */
  sparseKeys: string[];
  /** Keys of `sessionSparse`, group after group. */
  sessionKeys: string[];
  /** Dedup groups: the schema's group name and its keys. */
  groups: { name: string; keys: string[] }[];
  /** Columns of `dense`, in order. */
  dense: string[];
  /** `int32` when every id feature is reduced to table rows (the default), else `int64`. */
  idType: IdType;
  /** Embedding rows per id key after transforms (undefined for keys left as raw ids). */
  tableSizes: Record<string, number | undefined>;
  /** `sessionSparse` is an IKJT. */
  dedup: boolean;
}
