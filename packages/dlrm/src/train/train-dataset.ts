import { featuresOfKind } from '@recd/core';
import { openDataset, Dataset } from '@recd/loader';
import { Dlrm } from '../model/dlrm';
import { dlrmConfigFromSchema } from '../model/config-from-schema';
import type { SequenceEncoderKind } from '../model/config';
import { Adagrad } from '../optim/adagrad';
import { Adam } from '../optim/adam';
import { Sgd } from '../optim/sgd';
import { CompositeOptimizer } from '../optim/composite-optimizer';
import type { MetricReport } from '../metrics/metric-accumulator';
import { saveCheckpoint, loadCheckpoint } from '../checkpoint/checkpoint';
import { Trainer, EpochReport, StepReport } from './trainer';

export interface TrainDatasetOptions {
  /** A sample dataset folder (from `recd samples`). */
  data: string;
  /** Session-constant features as an IKJT (default true) or a KJT. Results are the same. */
  dedup?: boolean;
  epochs?: number;
  batchSize?: number;
  /** Learning rate of the embedding tables (row-wise Adagrad, or SGD). */
  lr?: number;
  /** Learning rate of the dense layers (Adam). */
  denseLr?: number;
  /** L2 penalty on the embedding rows a step touches (default 0). */
  weightDecay?: number;
  /** L2 penalty on the dense layers (default 0). */
  denseWeightDecay?: number;
  sparseOptimizer?: 'adagrad' | 'sgd';
  seed?: number;
  embeddingDim?: number;
  /** Hidden widths of the bottom MLP; `embeddingDim` is appended as its output. */
  bottomMlp?: number[];
  /** Hidden widths of the top MLP; 1 is appended as its output. */
  topMlp?: number[];
  /** Encoder of per-sample sequence features (default mean-mlp). */
  sequenceEncoder?: SequenceEncoderKind;
  /** Encoder of session-constant sequence features, e.g. long user histories (default: as sequenceEncoder). */
  sessionSequenceEncoder?: SequenceEncoderKind;
  /** Caps every embedding table (ids are taken mod the table size). */
  maxTableSize?: number;
  /** Fraction of each shard's last row groups held out for evaluation (default 0.1; 0: no evaluation). */
  holdout?: number;
  /** Samples per epoch at most. */
  limit?: number;
  /** Shuffle whole sessions each epoch (default false: stored order). */
  shuffle?: boolean;
  /** Loader threads that decode row groups beside the training step (default 0: the main thread decodes between steps). */
  loaderWorkers?: number;
  checkpoint?: string;
  resume?: string;
  onStep?: (report: StepReport) => void;
  onEpoch?: (report: EpochReport & { eval?: MetricReport }) => void;
}

export interface TrainDatasetResult {
  epochs: (EpochReport & { eval?: MetricReport })[];
  /** Loss of every step, all epochs. */
  losses: number[];
  eval?: MetricReport;
  samples: number;
  seconds: number;
  samplesPerSecond: number;
  parameters: number;
  describe: string;
}

/**
 * Trains a DLRM on a sample dataset: reads the feature schema from the manifest, builds the
 * model, streams batches (with or without dedup) through the trainer, evaluates on the held-out
 * latest row groups after each epoch, and saves a checkpoint when asked.
 */
export async function trainOnDataset(options: TrainDatasetOptions): Promise<TrainDatasetResult> {
  const seed = options.seed ?? 1;
  const holdout = options.holdout ?? 0.1;
  const split = holdout > 0 ? (part: 'train' | 'holdout') => ({ split: { holdout, part } }) : () => ({});
  const manifestSchema = (await openDataset(options.data, { batchSize: 1 })).schema;
  // dense inputs such as positions and seconds are counts: log1p keeps the bottom MLP in range (as DLRM does for Criteo)
  const transforms = Object.fromEntries(featuresOfKind(manifestSchema, 'dense').map((feature) => [feature.name, [{ kind: 'log1p' as const }]]));
  const common = { batchSize: options.batchSize ?? 1024, dedup: options.dedup ?? true, transforms, workers: options.loaderWorkers ?? 0 };
  const train: Dataset = await openDataset(options.data, {
    ...common,
    ...split('train'),
    limit: options.limit,
    shuffle: options.shuffle ? { seed } : false,
  });
  const evaluation = holdout > 0 ? await openDataset(options.data, { ...common, ...split('holdout') }) : undefined;
  const schema = train.schema;
  const embeddingDim = options.embeddingDim ?? 16;
  const model = new Dlrm(
    dlrmConfigFromSchema(schema, {
      embeddingDim,
      bottomMlp: [...(options.bottomMlp ?? [64]), embeddingDim],
      topMlp: [...(options.topMlp ?? [64]), 1],
      sequenceEncoder: options.sequenceEncoder ?? 'mean-mlp',
      sessionSequenceEncoder: options.sessionSequenceEncoder,
      maxTableSize: options.maxTableSize ?? 100_003,
      seed,
    }),
  );
  const sparseOptions = { lr: options.lr ?? 0.05, weightDecay: options.weightDecay ?? 0 };
  const sparse = options.sparseOptimizer === 'sgd' ? new Sgd(sparseOptions) : new Adagrad(sparseOptions);
  const optimizer = new CompositeOptimizer({ sparse, dense: new Adam({ lr: options.denseLr ?? 0.001, weightDecay: options.denseWeightDecay ?? 0 }) });
  if (options.resume) await loadCheckpoint(options.resume, model.parameters(), optimizer);
  const trainer = new Trainer({ model, optimizer, onStep: options.onStep });
  const epochs: (EpochReport & { eval?: MetricReport })[] = [];
  const losses: number[] = [];
  let samples = 0;
  let seconds = 0;
  for (let epoch = 0; epoch < (options.epochs ?? 1); epoch++) {
    const report: EpochReport & { eval?: MetricReport } = await trainer.trainEpoch(train.epoch(epoch), epoch);
    losses.push(...report.losses);
    samples += report.samples;
    seconds += report.seconds;
    if (evaluation) report.eval = await trainer.evaluate(evaluation.epoch(0));
    epochs.push(report);
    options.onEpoch?.(report);
  }
  if (options.checkpoint) {
    await saveCheckpoint(options.checkpoint, model.parameters(), optimizer.state(), {
      step: trainer.steps,
      epoch: epochs.length,
      config: model.config as unknown as Record<string, unknown>,
    });
  }
  return {
    epochs,
    losses,
    eval: epochs.length > 0 ? epochs[epochs.length - 1].eval : undefined,
    samples,
    seconds,
    samplesPerSecond: seconds > 0 ? samples / seconds : 0,
    parameters: model.parameters().reduce((sum, parameter) => sum + parameter.value.length, 0),
    describe: train.describe(),
  };
}
