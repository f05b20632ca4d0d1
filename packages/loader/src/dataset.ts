import { FeatureSchema, RecdError } from '@recd/core';
import type { Batch, BatchLayout } from './batch';
import { BatchBuilder } from './batch-builder';
import type { ChunkSource, SourceSession } from './chunk-source';
import { describePipeline } from './describe';
import type { ResolvedOptions } from './options';
import { LoaderPlan, sessionKeysOf, sparseKeysOf } from './plan';
import { Prefetcher } from './prefetcher';
import type { PreparedChunk } from './prepared-chunk';
import { InOrderPieces, Piece, PieceSource } from './pieces';
import { RunShuffler } from './run-shuffler';
import { createTaskQueue, taskQueueName } from './task-queue';
import { epochRng, epochUnits } from './units';

/**
 * A re-iterable dataset of training batches: a recipe, not a stream. Each `for await` runs the
 * pipeline from the start (epoch 0 to `epochs - 1`) with its own worker threads, which it frees
 * when the loop ends, breaks or throws; the same options give the same batches every time.
 *
 * ```
 * const dataset = await openDataset('data/samples', { batchSize: 4096, shuffle: { seed: 1 }, epochs: 2 });
 * for await (const batch of dataset) trainer.step(batch);
 * ```
 */
export class Dataset implements AsyncIterable<Batch> {
  readonly options: Readonly<ResolvedOptions>;
  readonly layout: BatchLayout;
  /** The feature schema of the samples (from the manifest). */
  readonly schema: FeatureSchema;
  readonly #source: ChunkSource;
  readonly #plan: LoaderPlan;

  constructor(source: ChunkSource, plan: LoaderPlan, options: ResolvedOptions, schema: FeatureSchema) {
    this.schema = schema;
    this.#source = source;
    this.#plan = plan;
    this.options = options;
    this.layout = layoutOf(plan);
  }

  [Symbol.asyncIterator](): AsyncIterator<Batch> {
    return this.#iterate(0, this.options.epochs);
  }

  /** Only epoch `epoch` (its shuffle as in a full iteration), e.g. to evaluate between epochs. */
  epoch(epoch: number): AsyncIterable<Batch> {
    if (!(Number.isSafeInteger(epoch) && epoch >= 0)) throw new RecdError(`Dataset.epoch: expected a non-negative integer, got ${epoch}`);
    return { [Symbol.asyncIterator]: () => this.#iterate(epoch, epoch + 1) };
  }

  /** The pipeline, stage by stage (see describePipeline). */
  describe(): string {
    return describePipeline(this.#source.describe(), this.#plan, this.options, this.#source.work(), taskQueueName());
  }

  async *#iterate(first: number, last: number): AsyncGenerator<Batch, void, undefined> {
    const session = this.#source.open();
    try {
      for (let epoch = first; epoch < last; epoch++) yield* this.#epoch(session, epoch);
    } finally {
      await session.close();
    }
  }

  async *#epoch(session: SourceSession, epoch: number): AsyncGenerator<Batch, void, undefined> {
    const { batchSize, shuffle, rank, worldSize, prefetch, dropLast } = this.options;
    const units = epochUnits(this.#source.units, epoch, rank, worldSize, shuffle?.seed);
    const prefetcher = new Prefetcher<PreparedChunk[]>(units.length, (i) => session.load(units[i]), createTaskQueue(prefetch.concurrency), prefetch.depth);
    const builder = new BatchBuilder(this.#plan, batchSize);
    const pieces: PieceSource = shuffle
      ? new RunShuffler(shuffle.window, epochRng(shuffle.seed, epoch).fork(2), { bySample: shuffle.unit === 'sample' })
      : new InOrderPieces();
    const piece: Piece = { chunk: undefined!, start: 0, end: 0 };
    let remaining = this.options.limit;
    let ended = false;
    let loaded: PreparedChunk[] = [];
    let next = 0;
    try {
      for (;;) {
        // pieces into batches: synchronous, so the generator suspends only when a batch is complete
        while (remaining > 0 && pieces.next(piece)) {
          let start = piece.start;
          const end = Math.min(piece.end, start + remaining);
          remaining -= end - start;
          while (start < end) {
            start += builder.add(piece.chunk, start, end);
            if (builder.full) yield builder.take();
          }
        }
        if (remaining <= 0 || ended) break;
        if (next < loaded.length) {
          pieces.add(loaded[next++]);
          continue;
        }
        const chunks = await prefetcher.next();
        if (chunks === undefined) {
          pieces.end();
          ended = true;
        } else {
          loaded = chunks;
          next = 0;
        }
      }
      if (builder.filled > 0 && !dropLast) yield builder.take();
    } finally {
      prefetcher.close();
    }
  }
}

function layoutOf(plan: LoaderPlan): BatchLayout {
  const tableSizes: Record<string, number | undefined> = {};
  for (const feature of [...plan.sparse, ...plan.groups.flatMap((group) => group.keys)]) tableSizes[feature.name] = feature.tableSize;
  for (const feature of plan.bucketized) tableSizes[feature.name] = feature.boundaries!.length + 1;
  return {
    sparseKeys: sparseKeysOf(plan),
    sessionKeys: sessionKeysOf(plan),
    groups: plan.groups.map((group) => ({ name: group.name, keys: group.keys.map((key) => key.name) })),
    dense: plan.dense.map((feature) => feature.name),
    idType: plan.idType,
    tableSizes,
    dedup: plan.dedup,
  };
}
