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
import { Adagrad, Adam, CompositeOptimizer, Dlrm, type GemmBackend, type MetricReport, type Optimizer, Sgd, Trainer, type TrainingBatch, gemmBackend, setGemmBackend } from '@recd/dlrm';
import type { BenchContext, BenchResult, BenchTarget } from './harness';
import { type BatchPair, CONFIG_B, type TrainBenchConfig, describeConfig, dlrmConfigFor, makeBatchPair } from './train-configs';

const LOSS_TOLERANCE = 1e-5;
const AUC_TOLERANCE = 1e-4;

export interface EquivalenceOptions {
  config: TrainBenchConfig;
  steps: number;
  evalBatches: number;
  samplesPerSession: number;
  /** Makes each model's optimizer (default `adaptiveOptimizer`). */
  optimizer?: () => Optimizer;
}

/** Row-wise Adagrad (lr 0.05) on the tables, Adam (lr 0.001) on the rest: what `recd train` uses. */
export const adaptiveOptimizer = (): Optimizer => new CompositeOptimizer({ sparse: new Adagrad({ lr: 0.05 }), dense: new Adam({ lr: 1e-3 }) });
/** SGD (lr 0.05) on everything. */
export const sgdOptimizer = (): Optimizer => new CompositeOptimizer({ sparse: new Sgd({ lr: 0.05 }), dense: new Sgd({ lr: 0.05 }) });

/** How one of the two models sees the batches: session features as a KJT or an IKJT, on which kernels. */
export interface TrainingSide {
  form: 'kjt' | 'ikjt';
  /** Kernel backend while this side runs (default: the current one). */
  backend?: GemmBackend;
}

export interface EquivalenceResult {
  /** Losses of side a (dedup off, unless compared otherwise) and side b (dedup on). */
  lossesOff: number[];
  lossesOn: number[];
  /** max over steps of |on - off| / |off|. */
  maxRelativeLossDiff: number;
  worstStep: number;
  /** First step (0-based) whose relative difference is above 1e-5, or -1. */
  firstStepAbove: number;
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

/** Runs `run` on `side`'s backend, then puts the previous backend back. */
async function onSide<T>(side: TrainingSide, run: () => T | Promise<T>): Promise<T> {
  const previous = gemmBackend();
  if (side.backend !== undefined) setGemmBackend(side.backend);
  try {
    return await run();
  } finally {
    setGemmBackend(previous);
  }
}

/** Two models from one seed train in lockstep on the same batches, each as its side says. */
export async function runLockstep(options: EquivalenceOptions, a: TrainingSide, b: TrainingSide): Promise<EquivalenceResult> {
  const first = batchPair(options, 1);
  const dlrmConfig = dlrmConfigFor(options.config, first.sampleKeys, first.sessionKeys);
  const trainer = (): Trainer => new Trainer({ model: new Dlrm(dlrmConfig), optimizer: (options.optimizer ?? adaptiveOptimizer)() });
  const sides = [a, b].map((side) => ({ side, trainer: trainer(), losses: [] as number[], seconds: 0 }));
  const pick = (pair: BatchPair, side: TrainingSide): TrainingBatch => (side.form === 'ikjt' ? pair.ikjt : pair.kjt);
  for (let step = 0; step < options.steps; step++) {
    const pair = step === 0 ? first : batchPair(options, step + 1);
    for (const entry of sides) {
      const started = performance.now();
      entry.losses.push(await onSide(entry.side, () => entry.trainer.trainStep(pick(pair, entry.side))));
      entry.seconds += (performance.now() - started) / 1000;
    }
  }
  const held = Array.from({ length: options.evalBatches }, (_, i) => batchPair(options, 1_000_000 + i));
  const metrics: MetricReport[] = [];
  for (const { side, trainer: t } of sides) metrics.push(await onSide(side, () => t.evaluate(each(held.map((pair) => pick(pair, side))))));
  const [x, y] = sides;
  const diffs = x.losses.map((loss, s) => Math.abs(y.losses[s] - loss) / Math.abs(loss));
  const maxRelativeLossDiff = Math.max(0, ...diffs);
  return {
    lossesOff: x.losses,
    lossesOn: y.losses,
    maxRelativeLossDiff,
    worstStep: diffs.indexOf(maxRelativeLossDiff),
    firstStepAbove: diffs.findIndex((diff) => diff > LOSS_TOLERANCE),
    off: metrics[0],
    on: metrics[1],
    secondsOff: x.seconds,
    secondsOn: y.seconds,
  };
}

/** Dedup off (KJT) against dedup on (IKJT), same backend. */
export function runDedupEquivalence(options: EquivalenceOptions): Promise<EquivalenceResult> {
  return runLockstep(options, { form: 'kjt' }, { form: 'ikjt' });
}

export function equivalenceHolds(result: EquivalenceResult): { losses: boolean; auc: boolean } {
  return { losses: result.maxRelativeLossDiff <= LOSS_TOLERANCE, auc: Math.abs(result.on.auc - result.off.auc) <= AUC_TOLERANCE };
}

interface Comparison {
  label: string;
  a: string;
  b: string;
  result: EquivalenceResult;
}

export async function benchTrainEquivalence(context: BenchContext): Promise<BenchResult> {
  const options: EquivalenceOptions = { config: CONFIG_B, steps: 100, evalBatches: 4, samplesPerSession: 8 };
  const run = async (label: string, a: string, b: string, compute: () => Promise<EquivalenceResult>): Promise<Comparison> => {
    context.log(`train-equivalence: ${options.steps} steps of config (b), ${label}`);
    return { label, a, b, result: await compute() };
  };
  const comparisons: Comparison[] = [
    await run('dedup off vs on, Adagrad + Adam', 'dedup off', 'dedup on', () => runDedupEquivalence(options)),
    await run('dedup off vs on, SGD', 'dedup off', 'dedup on', () => runDedupEquivalence({ ...options, optimizer: sgdOptimizer })),
    await run('control: dedup on both, wasm vs TypeScript kernels, Adagrad + Adam', 'wasm', 'TypeScript', () =>
      runLockstep(options, { form: 'ikjt', backend: 'wasm' }, { form: 'ikjt', backend: 'ts' })),
  ];
  const [adaptive, sgd, control] = comparisons.map((c) => c.result);
  const lossTarget = (result: EquivalenceResult, optimizer: string): BenchTarget => ({
    target: `loss at every one of ${options.steps} steps equal within ${LOSS_TOLERANCE} relative, dedup on vs off (${optimizer})`,
    measured: `max ${result.maxRelativeLossDiff.toExponential(2)} (step ${result.worstStep + 1})`,
    met: equivalenceHolds(result).losses,
  });
  const aucTarget = (result: EquivalenceResult, optimizer: string): BenchTarget => ({
    target: `final held-out AUC equal within ${AUC_TOLERANCE}, dedup on vs off (${optimizer})`,
    measured: Math.abs(result.on.auc - result.off.auc).toExponential(2),
    met: equivalenceHolds(result).auc,
  });
  const sampleSteps = [0, 1, 9, 19, 29, 49, 74, options.steps - 1].filter((s, i, all) => s < options.steps && all.indexOf(s) === i);
  const relative = (result: EquivalenceResult, s: number): string => (Math.abs(result.lossesOn[s] - result.lossesOff[s]) / Math.abs(result.lossesOff[s])).toExponential(1);
  return {
    title: 'DLRM training: dedup on vs off give the same model',
    description:
      `${describeConfig(options.config)}; ${options.samplesPerSession} samples per session. Two models from one seed train ${options.steps} steps on the same ` +
      `${options.steps} batches (makeSessionBatch data; labels drawn with P(y=1) = sigmoid(1.5 x0 - x1 + 0.5 x2 x3) of the dense inputs), one with the ` +
      `session features as a KJT (dedup off), the other as an IKJT (dedup on), then both are evaluated on ${options.evalBatches} held-out batches. ` +
      `Optimizers: row-wise Adagrad (lr 0.05) on the tables with Adam (lr 0.001) on the rest, as \`recd train\` does; and SGD (lr 0.05) on everything. ` +
      `Control: both models with dedup on, one on the WebAssembly kernels, the other on the TypeScript ones: the same math summed in another order, no dedup involved.`,
    tables: [
      {
        caption: 'Largest relative loss difference over the steps, first step above 1e-5, and held-out metrics of the two models.',
        columns: ['comparison', 'max relative loss difference', 'first step > 1e-5', 'AUC a', 'AUC b', '|AUC a - AUC b|', 'NE a', 'NE b', 'train s a', 'train s b'],
        rows: comparisons.map(({ label, a, b, result }) => [
          `${label} (a: ${a}, b: ${b})`, `${result.maxRelativeLossDiff.toExponential(2)} (step ${result.worstStep + 1})`,
          result.firstStepAbove < 0 ? 'none' : String(result.firstStepAbove + 1),
          result.off.auc.toFixed(6), result.on.auc.toFixed(6), Math.abs(result.on.auc - result.off.auc).toExponential(2),
          result.off.ne.toFixed(6), result.on.ne.toFixed(6), result.secondsOff.toFixed(1), result.secondsOn.toFixed(1),
        ]),
      },
      {
        caption: 'Relative loss difference at some of the steps.',
        columns: ['step', ...comparisons.map((c) => c.label)],
        rows: sampleSteps.map((s) => [String(s + 1), ...comparisons.map((c) => relative(c.result, s))]),
      },
    ],
    targets: [lossTarget(adaptive, 'Adagrad + Adam'), aucTarget(adaptive, 'Adagrad + Adam'), lossTarget(sgd, 'SGD'), aucTarget(sgd, 'SGD')],
    notes: [
      'The two paths sum the same gradients in a different order (per unique row first, then through the encoder, versus sample by sample), ' +
        `so their losses differ by float rounding at first. Largest relative difference over ${options.steps} steps: ${sgd.maxRelativeLossDiff.toExponential(1)} with SGD, ` +
        `${adaptive.maxRelativeLossDiff.toExponential(1)} with Adagrad + Adam (which divide each update by a running gradient scale), and ` +
        `${control.maxRelativeLossDiff.toExponential(1)} in the control, where only the kernels' summation order differs and dedup is on in both.`,
    ],
    data: { steps: options.steps, comparisons },
  };
}
