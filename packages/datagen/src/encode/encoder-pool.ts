import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { RecdError } from '@recd/core';
import { WorkerGroup } from '../threads/worker-group';
import type { SampleChunk } from '../dataset/sample-chunk';
import type { ChunkStretches } from '../samples/stretch-assembler';
import { EncodeRequest, EncodeResponse, NativeEncodeRequest, PropertyCall, ROW_GROUP_WORKER_SOURCE, TrialRequest, WarmUpRequest, ZstdRecompression } from './row-group-worker';
import type { EncodingTrial, NativeTrialSettings } from './native/native-trial';
import { RowGroupFileSettings, chunkBuffers } from './native/row-group-file';

/** The compiled page recompressor the workers load: from src/ (tests) and from dist/ alike, it is ../../dist/encode/zstd-pages.js. */
const ZSTD_PAGES_MODULE = join(__dirname, '..', '..', 'dist', 'encode', 'zstd-pages.js');
/** The compiled native row group encoder, found the same way. */
const NATIVE_ENCODER_MODULE = join(__dirname, '..', '..', 'dist', 'encode', 'native', 'row-group-file.js');

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

  /**
   * `maxInFlight` (default: one per thread) bounds the row groups out at once, and so memory.
   * Threads are taken from `prestarted` first.
   */
  constructor(threads: number, maxInFlight = threads, prestarted?: PrestartedEncoders) {
    const start = (): Worker => prestarted?.take() ?? startEncoderWorker();
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
    const request = (id: number): EncodeRequest => (zstd === undefined ? { id, ipcs, properties } : { id, ipcs, properties, zstd });
    const { answer } = await this.#send(request, ipcs.filter(ownsBuffer).map((ipc) => ipc.buffer as ArrayBuffer));
    return { file: answer.then(({ file }) => file!) };
  }

  /**
   * Encodes one row group with the native encoder (native/row-group-file.ts), compressing pages
   * with ZSTD at `zstdLevel` when given. A `chunk`'s arrays are transferred to the worker (unusable
   * here after the call; the answer hands them back with the file); `stretches` of chunks in
   * SharedArrayBuffers are assembled in the worker.
   */
  async submitNative(
    rows: { chunk: SampleChunk } | { stretches: ChunkStretches },
    settings: Omit<RowGroupFileSettings, 'compress'>,
    zstdLevel?: number,
  ): Promise<{ answer: Promise<{ file: Uint8Array; chunk?: SampleChunk }> }> {
    for (const module of [NATIVE_ENCODER_MODULE, ZSTD_PAGES_MODULE]) {
      if (!existsSync(module)) throw new RecdError(`EncoderPool: native encoding in worker threads needs the compiled ${module} (run npx tsc -b)`);
    }
    const request = (id: number): NativeEncodeRequest => ({ id, native: { ...rows, settings, zstdLevel } });
    const { answer } = await this.#send(request, 'chunk' in rows ? chunkBuffers(rows.chunk) : []);
    return { answer: answer.then(({ file, chunk: returned }) => ({ file: file!, chunk: returned })) };
  }

  /**
   * Has every thread run the native encoder once on a small synthetic row group (native/warm-up.ts),
   * outside the permits: sent first, each thread does it before its first real row group, while
   * this thread prepares that row group. Failures surface with the next real request.
   */
  warmUpNative(zstdLevel = 3): void {
    if (!existsSync(NATIVE_ENCODER_MODULE)) return;
    for (let t = 0; t < this.threads; t++) this.#group.send((id): WarmUpRequest => ({ id, warmUp: { zstdLevel } }), []).catch(() => {});
  }

  /**
   * The native encoding trial (native/native-trial.ts) run in a thread (warm if it was prestarted
   * or warmed up), outside the permits: for the first rows of a shard, before any row group.
   * `sample`'s arrays are copied to the thread.
   */
  async trialNative(sample: SampleChunk, names: readonly string[], settings: NativeTrialSettings): Promise<EncodingTrial[]> {
    if (!existsSync(NATIVE_ENCODER_MODULE)) throw new RecdError(`EncoderPool: the native trial in worker threads needs the compiled ${NATIVE_ENCODER_MODULE} (run npx tsc -b)`);
    const answer = await this.#group.send((id): TrialRequest => ({ id, trial: { sample, names, settings } }), []);
    return answer.trial!;
  }

  /** Takes a permit (waiting for one), sends, and gives the permit back when the answer settles. */
  async #send(request: (id: number) => unknown, transfer: ArrayBuffer[]): Promise<{ answer: Promise<EncodeResponse> }> {
    if (this.#permits > 0 && this.#waiting.length === 0) this.#permits--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve)); // a permit handed over
    if (this.#group.failure || this.#group.closed) {
      this.#release();
      throw this.#group.failure ?? new RecdError('EncoderPool: closed');
    }
    const answer = this.#group.send(request, transfer);
    answer.then(
      () => this.#release(),
      () => this.#release(),
    );
    return { answer };
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

function startEncoderWorker(): Worker {
  return new Worker(ROW_GROUP_WORKER_SOURCE, { eval: true, workerData: { parquetWasm: require.resolve('parquet-wasm/node'), zstdPages: ZSTD_PAGES_MODULE, nativeEncoder: NATIVE_ENCODER_MODULE } });
}

/**
 * Encoder threads started ahead of their pool, warming the native encoder up (native/warm-up.ts)
 * until an EncoderPool given them takes them: a caller that will write Parquet later
 * (generateSamples, while it reads the log) moves the threads' start and compilation off the
 * write. `release` ends the threads no pool took. They do not keep the process alive.
 */
export class PrestartedEncoders {
  readonly #workers: Worker[] = [];

  constructor(count: number, zstdLevel = 3) {
    if (!existsSync(NATIVE_ENCODER_MODULE)) return;
    for (let t = 0; t < count; t++) {
      const worker = startEncoderWorker();
      worker.unref();
      worker.on('error', () => {}); // a thread lost before a pool takes it is skipped by take()
      worker.postMessage({ id: -1, warmUp: { zstdLevel } } satisfies WarmUpRequest);
      this.#workers.push(worker);
    }
  }

  /** A live prestarted thread, or undefined. */
  take(): Worker | undefined {
    for (let worker = this.#workers.shift(); worker !== undefined; worker = this.#workers.shift()) {
      if (worker.threadId >= 0) return worker;
    }
    return undefined;
  }

  async release(): Promise<void> {
    await Promise.all(this.#workers.splice(0).map((worker) => worker.terminate()));
  }
}

function ownsBuffer(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}
