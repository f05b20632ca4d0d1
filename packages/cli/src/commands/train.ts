import { Command } from 'commander';
import { trainOnDataset, TrainDatasetResult } from '@recd/dlrm';
import type { Io } from '../io';
import { createProgress } from '../progress';
import { intList, nonNegativeInt, nonNegativeNumber, oneOf, positiveInt, positiveNumber } from '../options';
import { formatTable } from '../table';

interface TrainCliOptions {
  data: string;
  dedup: boolean;
  epochs: number;
  batchSize: number;
  lr: number;
  denseLr: number;
  weightDecay: number;
  denseWeightDecay: number;
  optimizer: 'adagrad' | 'sgd';
  seed: number;
  embeddingDim: number;
  bottomMlp: number[];
  topMlp: number[];
  sequenceEncoder: 'attention' | 'mean-mlp';
  sessionSequenceEncoder: 'attention' | 'mean-mlp';
  maxTableSize: number;
  holdout: number;
  limit?: number;
  shuffle: boolean;
  loaderWorkers: number;
  checkpoint?: string;
  resume?: string;
  quiet: boolean;
  json: boolean;
}

function fraction(text: string): number {
  const value = Number(text);
  if (!(value >= 0 && value < 1)) throw new Error(`expected a fraction in [0, 1), got "${text}"`);
  return value;
}

export function trainCommand(io: Io, done: (code: number) => void): Command {
  return new Command('train')
    .description('train a DLRM on a sample dataset, with session features deduplicated (IKJT) or not; evaluates on the latest sessions held out')
    .requiredOption('--data <dir>', 'sample dataset folder (from `recd samples`)')
    .option('--dedup', 'session-constant features as an IKJT: lookups and encoders on unique rows (default)', true)
    .option('--no-dedup', 'session-constant features as a plain KJT (same results, slower)')
    .option('--epochs <n>', 'passes over the training part', positiveInt, 1)
    .option('--batch-size <n>', 'samples per batch', positiveInt, 1024)
    .option('--lr <x>', 'learning rate of the embedding tables', positiveNumber, 0.05)
    .option('--dense-lr <x>', 'learning rate of the MLPs and encoders (Adam)', positiveNumber, 0.001)
    .option('--weight-decay <x>', 'L2 penalty on the embedding rows a step touches', nonNegativeNumber, 0)
    .option('--dense-weight-decay <x>', 'L2 penalty on the MLPs and encoders (Adam)', nonNegativeNumber, 0)
    .option('--optimizer <name>', 'embedding optimizer: row-wise adagrad or sgd', oneOf(['adagrad', 'sgd'] as const), 'adagrad')
    .option('--seed <n>', 'seed of the initial weights and the shuffle', nonNegativeInt, 1)
    .option('--embedding-dim <n>', 'embedding width', positiveInt, 16)
    .option('--bottom-mlp <list>', 'hidden widths of the bottom MLP (the embedding width is appended)', intList, [64])
    .option('--top-mlp <list>', 'hidden widths of the top MLP (1 is appended)', intList, [64])
    .option('--sequence-encoder <kind>', 'encoder of per-sample sequence features: mean-mlp or attention', oneOf(['mean-mlp', 'attention'] as const), 'mean-mlp')
    .option('--session-sequence-encoder <kind>', 'encoder of session-constant sequences (user histories): attention or mean-mlp', oneOf(['mean-mlp', 'attention'] as const), 'attention')
    .option('--max-table-size <n>', 'cap on embedding-table rows (ids are taken mod the size)', positiveInt, 100_003)
    .option('--holdout <fraction>', "fraction of each shard's last row groups (the latest sessions) held out for evaluation; 0 for none", fraction, 0.1)
    .option('--limit <n>', 'samples per epoch at most', positiveInt)
    .option('--shuffle', 'shuffle whole sessions each epoch (default: stored order)', false)
    .option('--loader-workers <n>', 'threads that decode row groups while the model steps (0: decode on the main thread between steps)', nonNegativeInt, 0)
    .option('--checkpoint <file>', 'save the trained weights and optimizer state (safetensors)')
    .option('--resume <file>', 'start from a checkpoint')
    .option('--quiet', 'no progress on stderr', false)
    .option('--json', 'print one JSON object as the last line of stdout', false)
    .action(async (options: TrainCliOptions) => {
      const progress = createProgress(io, `train (${options.dedup ? 'dedup' : 'no dedup'})`, { quiet: options.quiet });
      let samplesDone = 0;
      let result: TrainDatasetResult;
      try {
        result = await trainOnDataset({
          ...options,
          sparseOptimizer: options.optimizer,
          onStep: (step) => {
            samplesDone += step.size;
            progress.update(step.step, undefined, `steps, ${samplesDone} samples, loss ${step.loss.toFixed(4)}`);
          },
        });
      } finally {
        progress.stop();
      }
      const report = {
        command: 'train',
        data: options.data,
        dedup: options.dedup,
        samples: result.samples,
        seconds: result.seconds,
        samplesPerSecond: result.samplesPerSecond,
        parameters: result.parameters,
        finalLoss: result.losses.length > 0 ? result.losses[result.losses.length - 1] : NaN,
        eval: result.eval,
        epochs: result.epochs.map((epoch) => ({
          epoch: epoch.epoch,
          steps: epoch.steps,
          meanLoss: epoch.meanLoss,
          samplesPerSecond: epoch.samplesPerSecond,
          stepMs: epoch.stepMs,
          waitMs: epoch.waitMs,
          eval: epoch.eval,
        })),
        losses: result.losses,
      };
      if (options.json) {
        io.stdout(JSON.stringify(report) + '\n');
      } else {
        io.stdout(`${result.describe}\n\n`);
        io.stdout(
          formatTable(
            ['epoch', 'steps', 'mean loss', 'samples/s', 'model ms', 'wait ms', 'eval AUC', 'eval NE', 'eval log loss'],
            report.epochs.map((epoch) => [
              String(epoch.epoch),
              String(epoch.steps),
              epoch.meanLoss.toFixed(4),
              Math.round(epoch.samplesPerSecond).toString(),
              epoch.stepMs.toFixed(0),
              epoch.waitMs.toFixed(0),
              epoch.eval ? epoch.eval.auc.toFixed(4) : '-',
              epoch.eval ? epoch.eval.ne.toFixed(4) : '-',
              epoch.eval ? epoch.eval.logLoss.toFixed(4) : '-',
            ]),
          ) + '\n',
        );
        io.stdout(`loss curve (every ${Math.max(1, Math.floor(result.losses.length / 10))} steps): ${sparkline(result.losses)}\n`);
      }
      done(0);
    });
}

/** The loss curve at about ten points, as numbers. */
function sparkline(losses: number[]): string {
  const every = Math.max(1, Math.floor(losses.length / 10));
  return losses.filter((_, i) => i % every === 0).map((loss) => loss.toFixed(3)).join(' ');
}
