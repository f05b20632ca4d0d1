/**
 * Row groups of a dataset's Parquet shards, decoded on a piscina pool. With `workers: 0` one
 * thread decodes and the main thread prepares (transforms, session runs); with `workers: n`, n
 * threads decode and prepare, and the main thread only batches.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { Piscina } from 'piscina';
import { InputError, RecdError } from '@recd/core';
import type { DatasetManifest } from '@recd/datagen';
import { chunkFromArrow } from './arrow-columns';
import type { ChunkSource, SourceSession } from './chunk-source';
import type { LoaderPlan } from './plan';
import { prepareChunk } from './prepare';
import type { PreparedChunk } from './prepared-chunk';
import type { RowGroupResult, RowGroupTask } from './row-group-task';
import { ResolvedSplit, splitRange } from './split';

/** The compiled task module: from src/ (tests) and from dist/ alike, it is ../dist/row-group-task.js. */
const TASK_MODULE = join(__dirname, '..', 'dist', 'row-group-task.js');

export class ParquetSource implements ChunkSource {
  readonly #paths: readonly string[];
  readonly #manifest: DatasetManifest;
  readonly #plan: LoaderPlan;
  readonly #workers: number;
  /** Unit u is row group `rowGroup[u]` of shard `shard[u]`. */
  readonly shard: Int32Array;
  readonly rowGroup: Int32Array;

  readonly #split: ResolvedSplit | undefined;

  constructor(paths: readonly string[], manifest: DatasetManifest, plan: LoaderPlan, workers: number, split?: ResolvedSplit) {
    this.#paths = paths;
    this.#manifest = manifest;
    this.#plan = plan;
    this.#workers = workers;
    this.#split = split;
    const shards: number[] = [];
    const rowGroups: number[] = [];
    manifest.shards.forEach((shard, s) => {
      const [from, to] = splitRange(shard.rowGroups, split);
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
    return this.#workers > 0 ? `workers(${this.#workers}: decode + transforms)` : 'reader(1 thread: decode) -> transforms(main thread)';
  }

  open(): SourceSession {
    if (!existsSync(TASK_MODULE)) throw new RecdError(`@recd/loader: ${TASK_MODULE} is missing; build the package first (npx tsc -b)`);
    const threads = Math.max(1, this.#workers);
    const prepareInWorkers = this.#workers > 0;
    const pool = new Piscina({ filename: TASK_MODULE, minThreads: threads, maxThreads: threads, idleTimeout: 30_000, workerData: { plan: this.#plan } });
    const plan = this.#plan;
    // Errors of the pool itself, not of a task (a worker that died while idle); after close,
    // replies of tasks cut short by destroy() arrive here too and are moot.
    let closing = false;
    let poolError: unknown;
    pool.on('error', (error: unknown) => {
      if (!closing) poolError ??= error;
    });
    const load = async (unit: number): Promise<PreparedChunk[]> => {
      if (poolError !== undefined) throw new RecdError(`@recd/loader: the reader pool failed: ${problemOf(poolError)}`, { cause: poolError });
      const shard = this.shard[unit];
      const rowGroup = this.rowGroup[unit];
      const path = this.#paths[shard];
      const fail = (error: unknown): InputError => new InputError({ file: path }, `row group ${rowGroup}: ${problemOf(error)}`, { cause: error });
      const task: RowGroupTask = {
        path,
        rowGroup,
        expectRowGroups: this.#manifest.shards[shard].rowGroups,
        expectRows: this.#manifest.shards[shard].rows,
        prepare: prepareInWorkers,
      };
      let result: RowGroupResult;
      try {
        result = (await pool.run(task)) as RowGroupResult;
      } catch (error) {
        throw fail(error);
      }
      if (result.kind === 'prepared') return result.chunks;
      try {
        return result.parts.flatMap((part) => tableFromIPC(part).batches.map((batch) => prepareChunk(chunkFromArrow(batch, plan.columns), plan)));
      } catch (error) {
        throw fail(error);
      }
    };
    return {
      load,
      close: async () => {
        closing = true;
        await pool.destroy();
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
