/**
 * Row groups of a dataset's Parquet shards. With `workers: 0` the main thread decodes (JavaScript
 * reader) and prepares (transforms, session runs), and a one-thread piscina pool is started only
 * if a row group needs parquet-wasm (or `decoder: 'parquet-wasm'` asks for it): then that thread
 * decodes and the main thread prepares. With `workers: n`, n threads decode and prepare, and the
 * main thread only batches.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Piscina } from 'piscina';
import { InputError, RecdError } from '@recd/core';
import type { DatasetManifest } from '@recd/datagen';
import { chunksFromIpc } from './arrow-columns';
import type { ChunkSource, SourceSession } from './chunk-source';
import type { ParquetDecoder } from './options';
import { BufferPool } from './buffer-pool';
import { ShardReaders } from './parquet/shard-readers';
import { UnsupportedParquetError } from './parquet/unsupported';
import type { LoaderPlan } from './plan';
import { prepareChunk } from './prepare';
import type { PreparedChunk } from './prepared-chunk';
import type { RowGroupResult, RowGroupTask } from './row-group-task';
import { ResolvedSplit, splitRange } from './split';

/** The compiled task module: from src/ (tests) and from dist/ alike, it is ../dist/row-group-task.js. */
const TASK_MODULE = join(__dirname, '..', 'dist', 'row-group-task.js');

export interface ParquetSourceOptions {
  workers: number;
  decoder: ParquetDecoder;
  split?: ResolvedSplit;
}

export class ParquetSource implements ChunkSource {
  readonly #paths: readonly string[];
  readonly #manifest: DatasetManifest;
  readonly #plan: LoaderPlan;
  readonly #workers: number;
  readonly #decoder: ParquetDecoder;
  /** Unit u is row group `rowGroup[u]` of shard `shard[u]`. */
  readonly shard: Int32Array;
  readonly rowGroup: Int32Array;

  readonly #split: ResolvedSplit | undefined;

  constructor(paths: readonly string[], manifest: DatasetManifest, plan: LoaderPlan, options: ParquetSourceOptions) {
    this.#paths = paths;
    this.#manifest = manifest;
    this.#plan = plan;
    this.#workers = options.workers;
    this.#decoder = options.decoder;
    this.#split = options.split;
    const shards: number[] = [];
    const rowGroups: number[] = [];
    manifest.shards.forEach((shard, s) => {
      const [from, to] = splitRange(shard.rowGroups, this.#split);
      for (let g = from; g < to; g++) {
        shards.push(s);
        rowGroups.push(g);
      }
    });
    this.shard = Int32Array.from(shards);
    this.rowGroup = Int32Array.from(rowGroups);
  }

  get units(): number {
    return this.shard.length;
  }

  describe(): string {
    const split = this.#split ? `, ${this.#split.part} part of a ${this.#split.holdout} holdout` : '';
    return `parquet(${this.#manifest.shards.length} shards, ${this.units} row groups${split}, ${this.#manifest.rows} rows in the dataset)`;
  }

  work(): string {
    const decoder = this.#decoder === 'js' ? 'JavaScript decoder' : 'parquet-wasm';
    if (this.#workers > 0) return `workers(${this.#workers}: decode (${decoder}) + transforms)`;
    return this.#decoder === 'js' ? 'main thread(decode (JavaScript decoder) + transforms)' : 'reader(1 thread: decode (parquet-wasm)) -> transforms(main thread)';
  }

  open(): SourceSession {
    if (!existsSync(TASK_MODULE)) throw new RecdError(`@recd/loader: ${TASK_MODULE} is missing; build the package first (npx tsc -b)`);
    const plan = this.#plan;
    const prepareInWorkers = this.#workers > 0;
    let pool: Piscina | undefined;
    // Errors of the pool itself, not of a task (a worker that died while idle); after close,
    // replies of tasks cut short by destroy() arrive here too and are moot.
    let closing = false;
    let poolError: unknown;
    const startPool = (): Piscina => {
      const threads = Math.max(1, this.#workers);
      const started = new Piscina({ filename: TASK_MODULE, minThreads: threads, maxThreads: threads, idleTimeout: 30_000, workerData: { plan } });
      started.on('error', (error: unknown) => {
        if (!closing) poolError ??= error;
      });
      return started;
    };
    if (prepareInWorkers) pool = startPool();
    // footers read once per shard and iteration, not once per row group
    const readers = new ShardReaders();
    // decoded columns' arrays, reused from row group to row group
    const buffers = new BufferPool();
    const load = async (unit: number): Promise<PreparedChunk[]> => {
      if (poolError !== undefined) throw new RecdError(`@recd/loader: the reader pool failed: ${problemOf(poolError)}`, { cause: poolError });
      const shard = this.shard[unit];
      const rowGroup = this.rowGroup[unit];
      const path = this.#paths[shard];
      const expected = { rowGroups: this.#manifest.shards[shard].rowGroups, rows: this.#manifest.shards[shard].rows };
      const fail = (error: unknown): InputError => new InputError({ file: path }, `row group ${rowGroup}: ${problemOf(error)}`, { cause: error });
      let decoder = this.#decoder;
      if (!prepareInWorkers && decoder === 'js') {
        try {
          const decoded = await (await readers.open(path, plan.columns, expected)).readRowGroup(rowGroup, buffers.alloc);
          const prepared = prepareChunk(decoded, plan);
          buffers.release(decoded, prepared);
          return [prepared];
        } catch (error) {
          if (!(error instanceof UnsupportedParquetError)) throw fail(error);
          decoder = 'parquet-wasm';
        }
      }
      if (closing) throw new RecdError('@recd/loader: the iteration was closed');
      pool ??= startPool();
      const task: RowGroupTask = { path, rowGroup, expected, prepare: prepareInWorkers, decoder };
      let result: RowGroupResult;
      try {
        result = (await pool.run(task)) as RowGroupResult;
      } catch (error) {
        throw fail(error);
      }
      try {
        if (result.kind === 'prepared') return result.chunks;
        return chunksFromIpc(result.parts, plan.columns).map((chunk) => prepareChunk(chunk, plan));
      } catch (error) {
        throw fail(error);
      }
    };
    return {
      load,
      close: async () => {
        closing = true;
        await pool?.destroy();
      },
    };
  }
}

/** What went wrong, in words: a decoder abort (wasm panic on a corrupt page) says so. */
function problemOf(error: unknown): string {
  const { name, message } = (error ?? {}) as { name?: string; message?: string };
  if (name === 'RuntimeError' || message === 'unreachable') return `corrupt Parquet data, the decoder aborted (${name ?? 'Error'}: ${message})`;
  return message ?? String(error);
}
