/**
 * What the write phase may hold beyond the sample runs, and so how many Parquet encoder threads
 * fit the memory budget. parquet-wasm: per shard being written, the row group being assembled and
 * its Arrow IPC copy; per encoder thread, one row group in flight (its IPC bytes, its batches in
 * wasm memory and the encoded row group the encoder buffers), about three row groups' bytes. The
 * native encoder: per shard, one row group (a partial last one, or the first, assembled for the
 * encoding trial); per thread, the row group it assembles plus its pages, about 1.5. With no room
 * for a thread, encoding runs in the calling thread.
 */
export function encoderThreadsFor(reserveBytes: number, rowGroupBytes: number, shards: number, maxThreads: number, pageEncoder: 'native' | 'parquet-wasm' = 'parquet-wasm'): number {
  const native = pageEncoder === 'native';
  const assembling = (native ? 1 : 2) * shards * rowGroupBytes;
  const perThread = (native ? 1.5 : 3) * rowGroupBytes;
  const threads = Math.floor((reserveBytes - assembling) / Math.max(1, perThread));
  return Math.max(0, Math.min(maxThreads, threads));
}

/** Encoder threads when neither the caller nor the budget limits them: the CPUs, at most 4. */
export function defaultMaxEncoderThreads(cpus: number): number {
  return Math.min(4, cpus);
}
