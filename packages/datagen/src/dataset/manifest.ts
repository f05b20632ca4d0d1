import type { FeatureSchema } from '@recd/core';
import type { ColumnEncoding } from './parquet-settings';
import type { SampleColumnType } from './sample-chunk';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 'recd-samples';
export const MANIFEST_VERSION = 1;

export type SampleOrder = 'session' | 'time' | 'random' | 'user';
export type Codec = 'zstd' | 'snappy' | 'gzip' | 'none';

export interface ShardInfo {
  /** File name relative to the dataset folder. */
  file: string;
  rows: number;
  bytes: number;
  /** Distinct sessions whose samples are in this shard. */
  sessions: number;
  rowGroups: number;
  /**
   * Parquet encoding of each top-level int64 and float32 column in this shard (list values follow
   * the writer's `listEncoding`). Shards may differ where the writer chose encodings by trial.
   */
  columnEncodings?: Record<string, ColumnEncoding>;
}

/**
 * `manifest.json`, written last: a dataset without it is incomplete. Carries the feature schema
 * the loader and trainer read, so nothing downstream hard-codes column names.
 */
export interface DatasetManifest {
  format: typeof MANIFEST_FORMAT;
  version: typeof MANIFEST_VERSION;
  createdBy: string;
  createdAt: string;
  rows: number;
  sessions: number;
  order: SampleOrder;
  codec: Codec;
  /** The ZSTD level pages were compressed at (codec zstd only). */
  zstdLevel?: number;
  /** Rows per Parquet row group and the data page size limit (compression works per page). */
  rowGroupSize: number;
  dataPageSizeBytes: number;
  shards: ShardInfo[];
  /** Physical columns in file order. */
  columns: { name: string; type: SampleColumnType }[];
  /** What each column means to a model (label, dense, sparse, sequence; dedup groups; table sizes). */
  schema: FeatureSchema;
  /** When this dataset is one of several produced independently (`--shard i/N`). */
  shardOf?: { index: number; count: number };
  /** Where the samples came from and how (input files, preset, label rule, seed...). */
  source?: Record<string, unknown>;
  /** Input rows rejected under `--on-error skip`, and where they were written. */
  rejects?: { count: number; file?: string };
}
