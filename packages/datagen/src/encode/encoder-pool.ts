import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { RecdError } from '@recd/core';
import { EncodeRequest, EncodeResponse, PropertyCall, ROW_GROUP_WORKER_SOURCE, ZstdRecompression } from './row-group-worker';

/** The compiled page recompressor the workers load: from src/ (tests) and from dist/ alike, it is ../../dist/encode/zstd-pages.js. */
const ZSTD_PAGES_MODULE = join(__dirname, '..', '..', 'dist', 'encode', 'zstd-pages.js');

interface Pending {
  resolve: (file: Uint8Array) => void;
  reject: (error: Error) => void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * Worker threads that encode Parquet row groups (see row-group-worker.ts). `submit` waits for one
 * of `maxInFlight` permits (first come, first served), which is how writers bound the row groups
 * held in memory, then hands the request to the worker with the fewest, and returns the encoded
 * file's promise. Workers are started on first use and do not keep the process alive; `close`
 * ends them.
 */
export class EncoderPool {
  readonly threads: number;
  readonly maxInFlight: number;
  #workers: PoolWorker[] | undefined;
  #nextId = 0;
  #permits: number;
  #waiting: (() => void)[] = [];
  #failure: Error | undefined;
  #closed = false;

  /** `maxInFlight` (default: one per thread) bounds the row groups out at once, and so memory. */
  constructor(threads: number, maxInFlight = threads) {
    if (!(Number.isInteger(threads) && threads >= 1)) throw new RecdError(`EncoderPool: expected a positive number of threads, got ${threads}`);
    this.threads = threads;
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
    if (this.#failure || this.#closed) {
      this.#release();
      throw this.#failure ?? new RecdError('EncoderPool: closed');
    }
    const workers = (this.#workers ??= Array.from({ length: this.threads }, () => this.#start()));
    const target = workers.reduce((best, worker) => (worker.pending.size < best.pending.size ? worker : best));
    const id = this.#nextId++;
    const file = new Promise<Uint8Array>((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      const request: EncodeRequest = zstd === undefined ? { id, ipcs, properties } : { id, ipcs, properties, zstd };
      target.worker.postMessage(request, ipcs.filter(ownsBuffer).map((ipc) => ipc.buffer as ArrayBuffer));
    }).finally(() => this.#release());
    return { file };
  }

  #release(): void {
    const next = this.#waiting.shift();
    if (next) next();
    else this.#permits++;
  }

  /** Ends the workers; requests still out are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    const workers = this.#workers ?? [];
    this.#workers = undefined;
    this.#fail(workers, new RecdError('EncoderPool: closed'));
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  }

  #start(): PoolWorker {
    const worker = new Worker(ROW_GROUP_WORKER_SOURCE, { eval: true, workerData: { parquetWasm: require.resolve('parquet-wasm/node'), zstdPages: ZSTD_PAGES_MODULE } });
    worker.unref();
    const entry: PoolWorker = { worker, pending: new Map() };
    worker.on('message', (response: EncodeResponse) => {
      const pending = entry.pending.get(response.id);
      if (!pending) return;
      entry.pending.delete(response.id);
      if (response.error !== undefined) pending.reject(new RecdError(`encoding a Parquet row group failed: ${response.error}`));
      else pending.resolve(response.file);
    });
    const lost = (reason: string): void => {
      this.#failure ??= new RecdError(`a Parquet encoder thread ${reason}`);
      this.#fail(this.#workers ?? [entry], this.#failure);
    };
    worker.on('error', (error) => lost(`failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (!this.#closed) lost(`exited (code ${code})`);
    });
    return entry;
  }

  #fail(workers: PoolWorker[], error: Error): void {
    for (const { pending } of workers) {
      for (const request of pending.values()) request.reject(error);
      pending.clear();
    }
    for (const wake of this.#waiting.splice(0)) {
      this.#permits--; // each woken submit releases one as it fails
      wake();
    }
  }
}

function ownsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}
