import type { PreparedChunk } from './prepared-chunk';

/**
 * Where prepared chunks come from: units (Parquet row groups, or in-memory chunks) in stored
 * order, each loaded into one or more prepared chunks. A session holds the resources of one
 * iteration (worker threads) and is closed when the iteration ends, however it ends.
 */
export interface ChunkSource {
  /** Number of units, in stored order. */
  readonly units: number;
  /** The first stage of `describe()`, e.g. `parquet(4 shards, 12 row groups, 1000000 rows)`. */
  describe(): string;
  /** Where decoding and transforms run, e.g. `workers(2: decode + transforms)`. */
  work(): string;
  open(): SourceSession;
}

export interface SourceSession {
  load(unit: number): Promise<PreparedChunk[]>;
  close(): Promise<void>;
}
