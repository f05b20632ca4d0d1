import type { JaggedColumn } from './jagged-column';

/** A dedup group of a prepared chunk: its runs, and its keys with one (transformed) row per run. */
export interface PreparedGroup {
  /** Run i covers rows `runStarts[i] .. runStarts[i + 1]`; the last entry is the chunk's row count. */
  runStarts: Int32Array;
  keys: JaggedColumn[];
}

/**
 * One row group (or part of one) decoded and transformed, columnar: the unit that moves from the
 * reader (a worker thread, or the main thread) to batching. Typed arrays only, no per-row objects.
 * Session-constant features come either per run of equal rows (dedup on: transformed once per run)
 * or per row (dedup off: transformed for every row, as a loader without RecD does).
 */
export interface PreparedChunk {
  rows: number;
  labels: Float32Array;
  /** Per dense feature, one value per row. */
  dense: Float32Array[];
  /** Per key of `batch.sparse`, one row per sample. */
  sparse: JaggedColumn[];
  /** Dedup off: per key of `batch.sessionSparse`, one row per sample. Empty with dedup on. */
  session: JaggedColumn[];
  /** Dedup on: per dedup group. Empty with dedup off. */
  groups: PreparedGroup[];
  /** Session runs for the shuffle (starts, then `rows`); undefined when not shuffling or with no groups (each row is a run). */
  runStarts: Int32Array | undefined;
}

/**
 * Every buffer of the chunk, each once, for a transfer list. Arrays that are views into a larger
 * buffer (e.g. of the decoded Parquet data) are copied first, so only what the chunk uses moves.
 */
export function ownedBuffers(chunk: PreparedChunk): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const own = <T extends Int32Array | Float32Array | BigInt64Array>(array: T): T => {
    const owned = array.byteOffset === 0 && array.byteLength === array.buffer.byteLength && !buffers.has(array.buffer as ArrayBuffer) ? array : (array.slice() as T);
    buffers.add(owned.buffer as ArrayBuffer);
    return owned;
  };
  const ownColumn = (column: JaggedColumn): JaggedColumn => ({
    offsets: column.offsets && own(column.offsets),
    values: own(column.values),
  });
  const sharedRuns = chunk.runStarts !== undefined && chunk.runStarts === chunk.groups[0]?.runStarts;
  chunk.labels = own(chunk.labels);
  chunk.dense = chunk.dense.map(own);
  chunk.sparse = chunk.sparse.map(ownColumn);
  chunk.session = chunk.session.map(ownColumn);
  chunk.groups = chunk.groups.map((group) => ({ runStarts: own(group.runStarts), keys: group.keys.map(ownColumn) }));
  if (chunk.runStarts) chunk.runStarts = sharedRuns ? chunk.groups[0].runStarts : own(chunk.runStarts);
  return [...buffers];
}
