import { RecdError } from '@recd/core';
import type { Transform } from './transforms';

export interface ShuffleOptions {
  /** Seed of every random choice; epoch `e` uses a generator derived from (seed, e). Default 0. */
  seed?: number;
  /** Elements held in the shuffle buffer (default 4096). */
  window?: number;
  /**
   * What moves: `session` (default) moves whole runs of a session's consecutive samples, which
   * keeps the duplication dedup needs; `sample` moves single samples, scattering sessions across
   * batches (a stronger shuffle that leaves dedup little to find).
   */
  unit?: 'session' | 'sample';
}

export interface PrefetchOptions {
  /** Row groups decoded ahead of the consumer, in flight or waiting (default 2 x concurrency + 1). */
  depth?: number;
  /** Row groups loaded at once (default: max(2, workers)). */
  concurrency?: number;
}

export interface DatasetOptions {
  /** Samples per batch (default 4096). */
  batchSize?: number;
  /**
   * Deduplicate the session-constant features (the manifest schema's dedup groups) into an
   * InverseKeyedJaggedTensor (default true); `false` gives them as a KeyedJaggedTensor.
   */
  dedup?: boolean;
  /** Shuffle (default false: stored order); `true` is `{ seed: 0, window: 4096, unit: 'session' }`. */
  shuffle?: boolean | ShuffleOptions;
  /** Epochs one iteration runs (default 1). */
  epochs?: number;
  /** Drop each epoch's last batch when it is short (default false). */
  dropLast?: boolean;
  /** Samples per epoch at most (of this rank), counted after shuffling (default: all). */
  limit?: number;
  /** This process's rank among `worldSize` readers; each reads disjoint row groups (default 0 of 1). */
  rank?: number;
  worldSize?: number;
  /** Transforms per feature; a feature listed here gets exactly this chain instead of its default. */
  transforms?: Record<string, Transform[]>;
  /** Default chains reduce ids to Int32 table rows, `modulo(tableSize)` (default true). `false` keeps int64 ids. */
  reduceIds?: boolean;
  /**
   * Worker threads that decode row groups and run transforms (default 0). With 0, the main thread
   * decodes (with the JavaScript reader) and transforms; no thread is started unless a row group
   * needs parquet-wasm, which then runs on one reader thread (it aborts on a corrupt page, so it
   * never runs on the main thread).
   */
  workers?: number;
  /**
   * Parquet decoder (default `'js'`): the loader's JavaScript reader (float32, int64 and
   * list<int64> columns; PLAIN and dictionary encodings; UNCOMPRESSED, SNAPPY, GZIP, BROTLI and
   * ZSTD), which hands any row group it does not support to parquet-wasm; or `'parquet-wasm'` for
   * every row group.
   */
  decoder?: ParquetDecoder;
  prefetch?: PrefetchOptions;
  /**
   * Hold out the last `holdout` fraction of every shard's row groups (in session or time order:
   * the latest sessions) and read only the `train` part or only the `holdout` part.
   */
  split?: { holdout: number; part: 'train' | 'holdout' };
}

export interface ResolvedOptions {
  batchSize: number;
  dedup: boolean;
  shuffle: { seed: number; window: number; unit: 'session' | 'sample' } | undefined;
  epochs: number;
  dropLast: boolean;
  limit: number;
  rank: number;
  worldSize: number;
  workers: number;
  decoder: ParquetDecoder;
  prefetch: { depth: number; concurrency: number };
}

export type ParquetDecoder = 'js' | 'parquet-wasm';

export const DEFAULT_BATCH_SIZE = 4096;
export const DEFAULT_SHUFFLE_WINDOW = 4096;
export const DEFAULT_WORKERS = 0;

export function resolveOptions(options: DatasetOptions = {}): ResolvedOptions {
  const batchSize = integer('batchSize', options.batchSize ?? DEFAULT_BATCH_SIZE, 1);
  const epochs = integer('epochs', options.epochs ?? 1, 0);
  const worldSize = integer('worldSize', options.worldSize ?? 1, 1);
  const rank = integer('rank', options.rank ?? 0, 0);
  if (rank >= worldSize) throw new RecdError(`dataset options: expected 0 <= rank < worldSize = ${worldSize}, got rank ${rank}`);
  const limit = options.limit === undefined || options.limit === Infinity ? Infinity : integer('limit', options.limit, 0);
  const workers = integer('workers', options.workers ?? DEFAULT_WORKERS, 0);
  // with no workers, 2: one row group's file reads (async) overlap the decoding of another (main thread)
  const concurrency = integer('prefetch.concurrency', options.prefetch?.concurrency ?? Math.max(2, workers), 1);
  const depth = integer('prefetch.depth', options.prefetch?.depth ?? 2 * concurrency + 1, 1);
  let shuffle: ResolvedOptions['shuffle'];
  if (options.shuffle === true || (typeof options.shuffle === 'object' && options.shuffle !== null)) {
    const given = options.shuffle === true ? {} : options.shuffle;
    const unit = given.unit ?? 'session';
    if (unit !== 'session' && unit !== 'sample') throw new RecdError(`dataset options: expected shuffle.unit "session" or "sample", got ${JSON.stringify(unit)}`);
    shuffle = { seed: integer('shuffle.seed', given.seed ?? 0, 0), window: integer('shuffle.window', given.window ?? DEFAULT_SHUFFLE_WINDOW, 1), unit };
  } else if (options.shuffle !== undefined && options.shuffle !== false) {
    throw new RecdError(`dataset options: expected shuffle to be a boolean or { seed, window }, got ${JSON.stringify(options.shuffle)}`);
  }
  const decoder = options.decoder ?? 'js';
  if (decoder !== 'js' && decoder !== 'parquet-wasm') throw new RecdError(`dataset options: expected decoder "js" or "parquet-wasm", got ${JSON.stringify(decoder)}`);
  for (const name of ['dedup', 'dropLast', 'reduceIds'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'boolean') {
      throw new RecdError(`dataset options: expected ${name} to be a boolean, got ${JSON.stringify(options[name])}`);
    }
  }
  return {
    batchSize,
    dedup: options.dedup ?? true,
    shuffle,
    epochs,
    dropLast: options.dropLast ?? false,
    limit,
    rank,
    worldSize,
    workers,
    decoder,
    prefetch: { depth: Math.max(depth, concurrency), concurrency },
  };
}

function integer(name: string, value: unknown, min: number): number {
  if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= min)) {
    throw new RecdError(`dataset options: expected ${name} to be an integer >= ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}
