/**
 * Model quality on real data, through the CLI as a user runs it: MovieLens ml-latest-small ratings
 * -> `recd samples --preset movielens` (label: rating >= 4; sessions: a user's ratings with gaps
 * under 30 minutes) -> `recd train`, dedup on and off, held-out AUC and NE per epoch on the latest
 * sessions in time. Next to it, a count baseline on the same split (smoothed per-item and per-user
 * positive rates, combined in log-odds), so the AUC has a yardstick.
 *
 * The dataset is read where it lies (RECD_MOVIELENS, default ../shared/datasets/ml-latest-small
 * beside the repository); samples go to a temporary folder, removed afterwards.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type Batch, openDataset } from '@recd/loader';
import { type MetricReport, MetricAccumulator, locateFeature } from '@recd/dlrm';
import type { BenchContext, BenchResult, BenchTarget } from './harness';

/** The repository root, from bench/dist or bench/. */
const repoRoot = path.resolve(__dirname, path.basename(__dirname) === 'dist' ? '../..' : '..');
const CLI = path.join(repoRoot, 'packages/cli/bin/recd.js');
/** Small row groups so that the held-out tenth is close to a tenth (holdout takes whole row groups). */
const ROW_GROUP_SIZE = 4096;
const HOLDOUT = 0.1;
const TRAIN_ARGS = ['--epochs', '3', '--seed', '1', '--holdout', String(HOLDOUT)];
/** Prior weight of the count baseline's smoothed rates. */
const PRIOR = 5;
/** Steps over which the issue asks equal losses (bench/train-equivalence.ts). */
const EQUIVALENCE_STEPS = 100;

export function movielensPath(): string {
  return process.env.RECD_MOVIELENS ?? path.resolve(repoRoot, '../shared/datasets/ml-latest-small');
}

function recd(args: readonly string[]): Record<string, unknown> {
  const child = spawnSync(process.execPath, [CLI, ...args, '--quiet', '--json'], { encoding: 'utf8', maxBuffer: 256 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status !== 0) throw new Error(`recd ${args.join(' ')} exited with ${child.status}`);
  const lines = child.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]) as Record<string, unknown>;
}

interface TrainReport {
  losses: number[];
  samplesPerSecond: number;
  epochs: { epoch: number; meanLoss: number; eval: MetricReport }[];
}

/** The first id of `name` for each sample of a loader batch. */
function firstIds(batch: Batch, name: string): bigint[] {
  const { ids, inverse } = locateFeature(batch, name);
  const values = ids.values as BigInt64Array;
  return Array.from({ length: batch.size }, (_, i) => {
    const row = inverse === undefined ? i : inverse[i];
    return ids.offsets[row + 1] > ids.offsets[row] ? values[ids.offsets[row]] : -1n;
  });
}

interface Baseline {
  metrics: MetricReport;
  /** Shares of held-out samples whose user, and whose item, appear in the training part. */
  seenUserShare: number;
  seenItemShare: number;
}

/** Smoothed positive rates of items and users from the training part, scored on the held-out part. */
async function countBaseline(dir: string): Promise<Baseline> {
  const open = (part: 'train' | 'holdout') => openDataset(dir, { batchSize: 4096, dedup: false, split: { holdout: HOLDOUT, part } });
  const counts = { item_id: new Map<bigint, [number, number]>(), user_id: new Map<bigint, [number, number]>() };
  let positives = 0;
  let total = 0;
  for await (const batch of (await open('train')).epoch(0)) {
    for (const name of ['item_id', 'user_id'] as const) {
      firstIds(batch, name).forEach((id, i) => {
        const entry = counts[name].get(id) ?? [0, 0];
        entry[0] += batch.labels[i];
        entry[1] += 1;
        counts[name].set(id, entry);
      });
    }
    for (let i = 0; i < batch.size; i++) positives += batch.labels[i];
    total += batch.size;
  }
  const base = positives / total;
  const logOdds = (p: number): number => Math.log(p / (1 - p));
  const rate = (entry: [number, number] | undefined): number => ((entry?.[0] ?? 0) + PRIOR * base) / ((entry?.[1] ?? 0) + PRIOR);
  const metrics = new MetricAccumulator({ from: 'probabilities' });
  let seenUsers = 0;
  let seenItems = 0;
  for await (const batch of (await open('holdout')).epoch(0)) {
    const items = firstIds(batch, 'item_id');
    const users = firstIds(batch, 'user_id');
    seenUsers += users.filter((user) => counts.user_id.has(user)).length;
    seenItems += items.filter((item) => counts.item_id.has(item)).length;
    const probabilities = Float32Array.from(items, (item, i) => {
      const logit = logOdds(rate(counts.item_id.get(item))) + logOdds(rate(counts.user_id.get(users[i]))) - logOdds(base);
      return 1 / (1 + Math.exp(-logit));
    });
    metrics.add(probabilities, batch.labels.subarray(0, batch.size));
  }
  const report = metrics.compute();
  return { metrics: report, seenUserShare: seenUsers / report.count, seenItemShare: seenItems / report.count };
}

export async function benchTrainQuality(context: BenchContext): Promise<BenchResult> {
  const source = movielensPath();
  const ratings = path.join(source, 'ratings.csv');
  const title = 'DLRM quality on MovieLens (ml-latest-small): dedup on vs off';
  if (!fs.existsSync(ratings)) {
    return { title, description: `Needs ${ratings} (set RECD_MOVIELENS to the ml-latest-small folder).`, tables: [], notes: [`skipped: ${ratings} not found`], data: { skipped: ratings } };
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'recd-movielens-'));
  try {
    const dir = path.join(work, 'samples');
    context.log(`train-quality: recd samples ${ratings} --preset movielens`);
    const samples = recd(['samples', '-i', ratings, '-o', dir, '--preset', 'movielens', '--row-group-size', String(ROW_GROUP_SIZE)]);
    const runs = [true, false].map((dedup) => {
      context.log(`train-quality: recd train --data ... ${dedup ? '--dedup' : '--no-dedup'} ${TRAIN_ARGS.join(' ')}`);
      return { dedup, report: recd(['train', '--data', dir, dedup ? '--dedup' : '--no-dedup', ...TRAIN_ARGS]) as unknown as TrainReport };
    });
    context.log('train-quality: count baseline');
    const baseline = await countBaseline(dir);
    const [on, off] = runs.map((run) => run.report);
    const lossDiffs = on.losses.map((loss, s) => Math.abs(loss - off.losses[s]) / Math.abs(off.losses[s]));
    const firstSteps = Math.min(EQUIVALENCE_STEPS, lossDiffs.length);
    const lossDiffFirst = Math.max(...lossDiffs.slice(0, firstSteps));
    const lossDiff = Math.max(...lossDiffs);
    const firstAbove = lossDiffs.findIndex((diff) => diff > 1e-5);
    const aucDiffs = on.epochs.map((epoch, e) => Math.abs(epoch.eval.auc - off.epochs[e].eval.auc));
    const stepsPerEpoch = on.losses.length / on.epochs.length;
    const best = Math.max(...on.epochs.map((epoch) => epoch.eval.auc));
    const targets: BenchTarget[] = [
      { target: 'best held-out AUC clearly above 0.5 (dedup on)', measured: best.toFixed(4), met: best > 0.6 },
      {
        target: `training loss equal within 1e-5 relative at each of the first ${firstSteps} steps, dedup on vs off`,
        measured: lossDiffFirst.toExponential(2),
        met: lossDiffFirst <= 1e-5,
      },
      {
        target: `held-out AUC equal within 1e-4 after epoch 1 (${stepsPerEpoch} steps), dedup on vs off`,
        measured: aucDiffs[0].toExponential(2),
        met: aucDiffs[0] <= 1e-4,
      },
    ];
    const rows = runs.flatMap(({ dedup, report }) =>
      report.epochs.map((epoch) => [
        dedup ? 'on' : 'off', String(epoch.epoch + 1), epoch.meanLoss.toFixed(4), epoch.eval.auc.toFixed(4), epoch.eval.ne.toFixed(4),
        epoch.eval.logLoss.toFixed(4), epoch.eval.accuracy.toFixed(4), String(epoch.eval.count),
      ]),
    );
    const b = baseline.metrics;
    rows.push(['count baseline', '', '', b.auc.toFixed(4), b.ne.toFixed(4), b.logLoss.toFixed(4), b.accuracy.toFixed(4), String(b.count)]);
    return {
      title,
      description:
        `${String(samples.samples)} samples (${String(samples.sessions)} sessions) from ${ratings}: \`recd samples -i ratings.csv -o DIR --preset movielens ` +
        `--row-group-size ${ROW_GROUP_SIZE}\` (label: rating >= 4; a session is a user's ratings with gaps under 30 minutes; features: the movie, ` +
        `the earlier movies of the session, the user, the movies of the user's earlier sessions, hour and weekday, position and time in the session), then ` +
        `\`recd train --data DIR --dedup|--no-dedup ${TRAIN_ARGS.join(' ')}\` (defaults otherwise: dim 16, row-wise Adagrad lr 0.05 on the tables, ` +
        `Adam lr 0.001 on the rest, batch 1024). Held out: the last ${HOLDOUT * 100}% of row groups, the latest sessions in time. ` +
        `Count baseline: per-item and per-user positive rates from the training part (smoothed toward the base rate with weight ${PRIOR}), added in log-odds.`,
      tables: [{ columns: ['dedup', 'epoch', 'train loss', 'held-out AUC', 'NE', 'log loss', 'accuracy', 'held-out samples'], rows }],
      targets,
      notes: [
        `The split is by time: ${(100 * baseline.seenUserShare).toFixed(0)}% of held-out samples come from users seen in training, ` +
          `${(100 * baseline.seenItemShare).toFixed(0)}% show a movie seen in training; the count baseline shows what item and user rates alone reach on this split.`,
        `Dedup on vs off over all ${lossDiffs.length} steps: largest relative loss difference ${lossDiff.toExponential(2)}` +
          (firstAbove >= 0 ? ` (first above 1e-5 at step ${firstAbove + 1})` : '') +
          `; held-out AUC differences per epoch ${aucDiffs.map((d) => d.toExponential(1)).join(', ')}. The two runs sum the same gradients in a different order ` +
          `(per unique row first, then into the table, versus sample by sample); the rounding differences stay within ${lossDiffFirst.toExponential(1)} ` +
          `over the first ${firstSteps} steps, then training amplifies them, as it does any change of summation order (threads, GPUs).`,
        `Training samples/s: dedup on ${on.samplesPerSecond.toFixed(0)}, off ${off.samplesPerSecond.toFixed(0)}.`,
      ],
      data: { samples, dedup: on, noDedup: off, baseline, maxRelativeLossDiff: lossDiff, maxRelativeLossDiffFirst: lossDiffFirst, aucDiffs },
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
