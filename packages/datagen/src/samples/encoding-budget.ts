/**
 * What the write phase may hold beyond the sample runs, and so how many Parquet encoder threads
 * fit the memory budget. Per shard being written: the row group being assembled and its Arrow IPC
 * copy. Per encoder thread: one row group in flight (its IPC bytes, its batches in wasm memory and
 * the encoded row group the encoder buffers), about three row groups' bytes. With no room for a
 * thread, encoding runs in the calling thread, which holds about one row group in wasm memory.
 */
export function encoderThreadsFor(reserveBytes: number, rowGroupBytes: number, shards: number, maxThreads: number): number {
  const assembling = 2 * shards * rowGroupBytes;
  const perThread = 3 * rowGroupBytes;
  const threads = Math.floor((reserveBytes - assembling) / Math.max(1, perThread));
  return Math.max(0, Math.min(maxThreads, threads));
}

/** Encoder threads when neither the caller nor the budget limits them: the CPUs, at most 4. */
export function defaultMaxEncoderThreads(cpus: number): number {
  return Math.min(4, cpus);
}
