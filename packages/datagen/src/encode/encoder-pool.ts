import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { RecdError } from '@recd/core';
import { WorkerGroup } from '../threads/worker-group';
import { EncodeRequest, EncodeResponse, PropertyCall, ROW_GROUP_WORKER_SOURCE, ZstdRecompression } from './row-group-worker';

/** The compiled page recompressor the workers load: from src/ (tests) and from dist/ alike, it is ../../dist/encode/zstd-pages.js. */
const ZSTD_PAGES_MODULE = join(__dirname, '..', '..', 'dist', 'encode', 'zstd-pages.js');

/**
 * Worker threads that encode Parquet row groups (see row-group-worker.ts). `submit` waits for one
 * of `maxInFlight` permits (first come, first served), which is how writers bound the row groups
 * held in memory, then hands the request to the worker with the fewest, and returns the encoded
 * file's promise. The threads are a WorkerGroup; `close` ends them.
 */
export class EncoderPool {
  readonly maxInFlight: number;
  readonly #group: WorkerGroup<EncodeResponse>;
  #permits: number;
  #waiting: (() => void)[] = [];

  /** `maxInFlight` (default: one per thread) bounds the row groups out at once, and so memory. */
  constructor(threads: number, maxInFlight = threads) {
    const start = (): Worker => new Worker(ROW_GROUP_WORKER_SOURCE, { eval: true, workerData: { parquetWasm: require.resolve('parquet-wasm/node'), zstdPages: ZSTD_PAGES_MODULE } });
    this.#group = new WorkerGroup(threads, start, 'encoding a Parquet row group', () => this.#wakeAll());
    this.maxInFlight = Math.max(1, maxInFlight);
    this.#permits = this.maxInFlight;
  }

  /**
   * Encodes one row group (Arrow IPC streams, in batch order) into a one-row-group Parquet file,
   * its pages recompressed with ZSTD in the worker when `zstd` is given. Resolves once the
   * request is out (a permit taken), to the file's promise.
   */
  async submit(ipcs: Uint8Array[], properties: PropertyCall[], zstd?: ZstdRecompression): Promise<{ file: Promise<Uint8Array> }> {
    if (zstd !== undefined && !existsSync(ZSTD_PAGES_MODULE)) {
      throw new RecdError(`EncoderPool: ZSTD recompression in worker threads needs the compiled ${ZSTD_PAGES_MODULE} (run npx tsc -b)`);
    }
    if (this.#permits > 0 && this.#waiting.length === 0) this.#permits--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve)); // a permit handed over
    if (this.#group.failure || this.#group.closed) {
      this.#release();
      throw this.#group.failure ?? new RecdError('EncoderPool: closed');
    }
    const request = (id: number): EncodeRequest => (zstd === undefined ? { id, ipcs, properties } : { id, ipcs, properties, zstd });
    const answer = this.#group.send(request, ipcs.filter(ownsBuffer).map((ipc) => ipc.buffer as ArrayBuffer));
    const file = answer.then(({ file }) => file!).finally(() => this.#release());
    return { file };
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#permits++;
  }

  get threads(): number {
    return this.#group.threads;
  }

  /** Ends the workers; requests still out are rejected. */
  async close(): Promise<void> {
    const closing = this.#group.close();
    this.#wakeAll();
    await closing;
  }

  /** Wakes every submit waiting for a permit (it then fails: the pool failed or closed). */
  #wakeAll(): void {
    for (const wake of this.#waiting.splice(0)) {
      this.#permits--; // each woken submit releases one as it fails
      wake();
    }
  }
}

function ownsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}
