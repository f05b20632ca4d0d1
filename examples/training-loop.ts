/**
 * Your own training loop in Node, fed by the loader: the loop below is what `Trainer` does inside,
 * written out so you can change any part of it. Each step pulls a batch from `openDataset` (the
 * loader decodes, transforms and deduplicates ahead of you, on a reader thread) and runs
 * forward + backward + the optimizer step. Timing the two apart says which one is the bottleneck:
 * when the loader keeps up, the loop waits for batches almost never.
 *
 * The same loop runs twice, with dedup off (session features as a KJT, one copy per sample) and on
 * (an IKJT: unique rows + inverse index); the losses match and only the step time changes.
 *
 * Run: npx tsc -b && node examples/dist/training-loop.js [sample-dataset-dir]
 * (without a folder it makes a small synthetic dataset first)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { featuresOfKind } from '@recd/core';
import { openDataset, Batch, Dataset } from '@recd/loader';
import { Adagrad, Adam, CompositeOptimizer, Dlrm, MetricAccumulator, dlrmConfigFromSchema } from '@recd/dlrm';
import { makeExampleDataset } from './example-data';

export interface LoopReport {
  dedup: boolean;
  steps: number;
  samples: number;
  losses: number[];
  /** Milliseconds per step in forward + backward + optimizer: median over steps and total. */
  medianStepMs: number;
  totalStepMs: number;
  /** Milliseconds until the first batch arrived: opening the files and starting the reader thread. */
  firstBatchMs: number;
  /** Milliseconds the loop waited for the loader's next batch after the first: median and total. */
  medianWaitMs: number;
  totalWaitMs: number;
  samplesPerSecond: number;
  /** Held-out metrics after training. */
  auc: number;
  ne: number;
}

export interface TrainingLoopOptions {
  batchSize?: number;
  /** Samples to train on (default: the whole train split). */
  limit?: number;
  seed?: number;
}

/** Trains one DLRM with a hand-written loop over `dataDir`'s batches; dedup on or off. */
export async function trainWithOwnLoop(dataDir: string, dedup: boolean, options: TrainingLoopOptions = {}): Promise<LoopReport> {
  const seed = options.seed ?? 1;
  // the dataset's feature schema decides the model's inputs: nothing here names a column
  const schema = (await openDataset(dataDir, { batchSize: 1 })).schema;
  const transforms = Object.fromEntries(featuresOfKind(schema, 'dense').map((feature) => [feature.name, [{ kind: 'log1p' as const }]]));
  const common = { batchSize: options.batchSize ?? 512, dedup, transforms };
  const train: Dataset = await openDataset(dataDir, { ...common, split: { holdout: 0.2, part: 'train' }, limit: options.limit });
  const holdout: Dataset = await openDataset(dataDir, { ...common, split: { holdout: 0.2, part: 'holdout' } });

  const model = new Dlrm(
    dlrmConfigFromSchema(train.schema, {
      embeddingDim: 16,
      bottomMlp: [32, 16],
      topMlp: [32, 1],
      sequenceEncoder: 'mean-mlp',
      sessionSequenceEncoder: 'attention', // the long user histories: where dedup saves the most
      maxTableSize: 50_021,
      seed,
    }),
  );
  const parameters = model.parameters();
  const optimizer = new CompositeOptimizer({ sparse: new Adagrad({ lr: 0.05 }), dense: new Adam({ lr: 0.001 }) });

  const losses: number[] = [];
  const stepMs: number[] = [];
  const waitMs: number[] = [];
  let samples = 0;
  const started = performance.now();
  const batches = train.epoch(0)[Symbol.asyncIterator]();
  for (;;) {
    const waitStart = performance.now();
    const next = await batches.next(); // the loader's work shows up here only when it falls behind
    const stepStart = performance.now();
    if (next.done) break;
    const batch: Batch = next.value;
    const loss = model.lossAndBackward(batch); // forward, BCE loss, backward into every parameter's grad
    optimizer.step(parameters); // row-wise Adagrad on the touched embedding rows, Adam on the rest
    optimizer.zeroGrad(parameters);
    stepMs.push(performance.now() - stepStart);
    waitMs.push(stepStart - waitStart);
    losses.push(loss);
    samples += batch.size;
  }
  const seconds = (performance.now() - started) / 1000;

  const metrics = new MetricAccumulator({ from: 'logits' });
  for await (const batch of holdout.epoch(0)) {
    metrics.add(model.forward(batch).subarray(0, batch.size), batch.labels.subarray(0, batch.size)); // add copies the reused logits buffer
  }
  const { auc, ne } = metrics.compute();
  return {
    dedup,
    steps: losses.length,
    samples,
    losses,
    medianStepMs: median(stepMs),
    totalStepMs: sum(stepMs),
    firstBatchMs: waitMs[0] ?? NaN,
    medianWaitMs: median(waitMs.slice(1)),
    totalWaitMs: sum(waitMs.slice(1)),
    samplesPerSecond: samples / seconds,
    auc,
    ne,
  };
}

/** A small table comparing the two runs: where the time went and whether the model came out the same. */
export function formatReports(reports: readonly LoopReport[]): string {
  const header = ['dedup', 'steps', 'first batch ms', 'step ms (median)', 'wait ms (median)', 'time waiting after the first batch', 'samples/s', 'last loss', 'AUC', 'NE'];
  const rows = reports.map((r) => [
    r.dedup ? 'on (IKJT)' : 'off (KJT)',
    String(r.steps),
    r.firstBatchMs.toFixed(0),
    r.medianStepMs.toFixed(1),
    r.medianWaitMs.toFixed(2),
    `${((100 * r.totalWaitMs) / (r.totalWaitMs + r.totalStepMs)).toFixed(1)}%`,
    Math.round(r.samplesPerSecond).toString(),
    r.losses[r.losses.length - 1].toFixed(5),
    r.auc.toFixed(4),
    r.ne.toFixed(4),
  ]);
  const widths = header.map((title, c) => Math.max(title.length, ...rows.map((row) => row[c].length)));
  return [header, ...rows].map((cells) => cells.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

if (require.main === module) {
  (async () => {
    let dataDir = process.argv[2];
    let workDir: string | undefined;
    if (!dataDir) {
      workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'recd-training-loop-'));
      dataDir = await makeExampleDataset(workDir);
    }
    try {
      const reports = [await trainWithOwnLoop(dataDir, false), await trainWithOwnLoop(dataDir, true)];
      console.log(formatReports(reports));
    } finally {
      if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
