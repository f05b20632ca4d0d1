/**
 * Dedup on versus off give the same training: two models from one seed train on the same stream of
 * batches, one with session features as a KJT, the other as an IKJT, with real optimizer updates
 * (row-wise Adagrad on the tables, Adam on the rest). The loss of every step and the held-out
 * metrics at the end are compared. Labels depend on the dense inputs, so the models learn and the
 * held-out AUC means something.
 *
 * `runDedupEquivalence` is shared by the benchmark (config (b), 100 steps) and a fast test on a
 * small config (test/train-equivalence.test.ts).
 */
import { Rng } from '@recd/core';
import { Adagrad, Adam, CompositeOptimizer, Dlrm, type MetricReport, Trainer, type TrainingBatch } from '@recd/dlrm';
import type { BenchContext, BenchResult, BenchTarget } from './harness';
import { type BatchPair, CONFIG_B, type TrainBenchConfig, describeConfig, dlrmConfigFor, makeBatchPair } from './train-configs';

const LOSS_TOLERANCE = 1e-5;
const AUC_TOLERANCE = 1e-4;

export interface EquivalenceOptions {
  config: TrainBenchConfig;
  steps: number;
  evalBatches: number;
  samplesPerSession: number;
  /** Table learning rate (Adagrad) and dense learning rate (Adam). */
  lr?: number;
  denseLr?: number;
}

export interface EquivalenceResult {
  lossesOff: number[];
  lossesOn: number[];
  /** max over steps of |on - off| / |off|. */
  maxRelativeLossDiff: number;
  worstStep: number;
  off: MetricReport;
  on: MetricReport;
  secondsOff: number;
  secondsOn: number;
}

/** P(y = 1) = sigmoid(1.5 x0 - x1 + 0.5 x2 x3): learnable from the dense inputs alone. */
function learnableLabels(dense: Float32Array, rng: Rng, width: number): Float32Array {
  const size = dense.length / width;
  const labels = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const x = (j: number): number => dense[i * width + j];
    const logit = 1.5 * x(0) - x(1) + 0.5 * x(2) * x(3);
    labels[i] = rng.nextFloat() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  return labels;
}

function batchPair(options: EquivalenceOptions, seed: number): BatchPair {
  const width = options.config.dense;
  return makeBatchPair(options.config, { samplesPerSession: options.samplesPerSession, seed, labels: (dense, rng) => learnableLabels(dense, rng, width) });
}

async function* each(batches: readonly TrainingBatch[]): AsyncGenerator<TrainingBatch> {
  yield* batches;
}

export async function runDedupEquivalence(options: EquivalenceOptions): Promise<EquivalenceResult> {
  const first = batchPair(options, 1);
  const dlrmConfig = dlrmConfigFor(options.config, first.sampleKeys, first.sessionKeys);
  const trainer = (): Trainer =>
    new Trainer({
      model: new Dlrm(dlrmConfig),
      optimizer: new CompositeOptimizer({ sparse: new Adagrad({ lr: options.lr ?? 0.05 }), dense: new Adam({ lr: options.denseLr ?? 1e-3 }) }),
    });
  const off = trainer();
  const on = trainer();
  const lossesOff: number[] = [];
  const lossesOn: number[] = [];
  let secondsOff = 0;
  let secondsOn = 0;
  let maxRelativeLossDiff = 0;
  let worstStep = 0;
  for (let step = 0; step < options.steps; step++) {
    const pair = step === 0 ? first : batchPair(options, step + 1);
    let started = performance.now();
    lossesOff.push(off.trainStep(pair.kjt));
    secondsOff += (performance.now() - started) / 1000;
    started = performance.now();
    lossesOn.push(on.trainStep(pair.ikjt));
    secondsOn += (performance.now() - started) / 1000;
    const diff = Math.abs(lossesOn[step] - lossesOff[step]) / Math.abs(lossesOff[step]);
    if (!(diff <= maxRelativeLossDiff)) {
      maxRelativeLossDiff = diff;
      worstStep = step;
    }
  }
  const held = Array.from({ length: options.evalBatches }, (_, b) => batchPair(options, 1_000_000 + b));
  return {
    lossesOff,
    lossesOn,
    maxRelativeLossDiff,
    worstStep,
    off: await off.evaluate(each(held.map((pair) => pair.kjt))),
    on: await on.evaluate(each(held.map((pair) => pair.ikjt))),
    secondsOff,
    secondsOn,
  };
}

export function equivalenceHolds(result: EquivalenceResult): { losses: boolean; auc: boolean } {
  return { losses: result.maxRelativeLossDiff <= LOSS_TOLERANCE, auc: Math.abs(result.on.auc - result.off.auc) <= AUC_TOLERANCE };
}

export async function benchTrainEquivalence(context: BenchContext): Promise<BenchResult> {
  const options: EquivalenceOptions = { config: CONFIG_B, steps: 100, evalBatches: 4, samplesPerSession: 8 };
  context.log(`train-equivalence: ${options.steps} steps of config (b), dedup off and on`);
  const result = await runDedupEquivalence(options);
  const holds = equivalenceHolds(result);
  const targets: BenchTarget[] = [
    {
      target: `loss at every one of ${options.steps} steps equal within ${LOSS_TOLERANCE} relative, dedup on vs off`,
      measured: `max ${result.maxRelativeLossDiff.toExponential(2)} (step ${result.worstStep + 1})`,
      met: holds.losses,
    },
    { target: `final held-out AUC equal within ${AUC_TOLERANCE}`, measured: Math.abs(result.on.auc - result.off.auc).toExponential(2), met: holds.auc },
  ];
  const metricRow = (label: string, m: MetricReport, seconds: number): string[] => [
    label, m.auc.toFixed(6), m.ne.toFixed(6), m.logLoss.toFixed(6), m.accuracy.toFixed(4), seconds.toFixed(1),
  ];
  const sampleSteps = [0, 1, 9, 49, options.steps - 1].filter((s, i, all) => s < options.steps && all.indexOf(s) === i);
  return {
    title: 'DLRM training: dedup on vs off give the same model',
    description:
      `${describeConfig(options.config)}; ${options.samplesPerSession} samples per session. Two models from one seed train ${options.steps} steps on the same ` +
      `${options.steps} batches (makeSessionBatch data; labels drawn with P(y=1) = sigmoid(1.5 x0 - x1 + 0.5 x2 x3) of the dense inputs), one with the ` +
      `session features as a KJT (dedup off), the other as an IKJT (dedup on); optimizer: row-wise Adagrad (lr ${options.lr ?? 0.05}) on the tables, ` +
      `Adam (lr ${options.denseLr ?? 1e-3}) on the rest. Then both are evaluated on ${options.evalBatches} held-out batches.`,
    tables: [
      {
        caption: 'Held-out metrics after training (seconds: time in training steps).',
        columns: ['dedup', 'AUC', 'NE', 'log loss', 'accuracy', 'train s'],
        rows: [metricRow('off', result.off, result.secondsOff), metricRow('on', result.on, result.secondsOn)],
      },
      {
        caption: 'Training loss at some of the steps.',
        columns: ['step', 'loss, dedup off', 'loss, dedup on', 'relative difference'],
        rows: sampleSteps.map((s) => [
          String(s + 1), result.lossesOff[s].toFixed(7), result.lossesOn[s].toFixed(7),
          (Math.abs(result.lossesOn[s] - result.lossesOff[s]) / Math.abs(result.lossesOff[s])).toExponential(2),
        ]),
      },
    ],
    targets,
    data: result,
  };
}
