import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { generateSamples, getPreset, writeSyntheticLog, LogSchema } from '@recd/datagen';
import { openDataset } from '@recd/loader';
import { trainOnDataset, TrainDatasetResult } from '@recd/dlrm';
import type { Io } from '../io';
import { nonNegativeInt, positiveInt } from '../options';
import { formatBytes, formatTable } from '../table';
import { loadLogSchema } from './samples';

interface DemoCliOptions {
  input?: string;
  preset?: string;
  schema?: string;
  events: number;
  concurrentSessions: number;
  trainSamples: number;
  batchSize: number;
  seed: number;
  workDir?: string;
  keep: boolean;
  json: boolean;
}

/** RecD's published gains (Zhao et al., MLSys 2023), for the final table. */
const PAPER = { storage: 3.71, preprocessing: 1.79, training: 2.48 };

/**
 * The end-to-end demo: a log (synthetic by default) -> samples in time order and in session order
 * (storage gain) -> the loader with and without dedup (preprocessing) -> DLRM training with and
 * without dedup (training throughput, same losses) -> the three gains beside RecD's.
 */
export function demoCommand(io: Io, done: (code: number) => void): Command {
  return new Command('demo')
    .description("RecD end to end on a synthetic log (or your own): storage, preprocessing and training gains, with and without dedup")
    .option('-i, --input <file>', 'run on your own log instead of a synthetic one')
    .option('--preset <name>', 'column mapping of --input (see recd samples --help)')
    .option('--schema <file>', 'column mapping of --input as a JSON file')
    .option('--events <n>', 'events of the synthetic log', positiveInt, 300_000)
    .option('--concurrent-sessions <n>', 'sessions live at once in the synthetic log', positiveInt, 100_000)
    .option('--train-samples <n>', 'samples each training run sees', positiveInt, 32_768)
    .option('--batch-size <n>', 'batch size of the loader and trainer', positiveInt, 1024)
    .option('--seed <n>', 'seed of everything random', nonNegativeInt, 1)
    .option('--work-dir <dir>', 'where the log and datasets go (default: a temporary folder, removed after)')
    .option('--keep', 'keep the work folder', false)
    .option('--json', 'print one JSON object as the last line of stdout', false)
    .action(async (options: DemoCliOptions) => {
      const workDir = options.workDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'recd-demo-'));
      fs.mkdirSync(workDir, { recursive: true });
      const step = (text: string): void => io.stderr(`[demo] ${text}\n`);
      try {
        const report = await runDemo(options, workDir, step);
        printReport(report, io, options.json);
        done(0);
      } finally {
        if (!options.keep && !options.workDir) fs.rmSync(workDir, { recursive: true, force: true });
      }
    });
}

interface DemoReport {
  source: string;
  events: number;
  samples: number;
  sessions: number;
  storage: { timeBytes: number; sessionBytes: number; ratio: number };
  preprocessing: { dedupOn: number; dedupOff: number; ratio: number; batchBytesKjt: number; batchBytesIkjt: number };
  training: { dedupOn: TrainSummary; dedupOff: TrainSummary; ratio: number; maxLossDifference: number };
}

interface TrainSummary {
  samplesPerSecond: number;
  finalLoss: number;
  auc: number;
  ne: number;
}

async function runDemo(options: DemoCliOptions, workDir: string, step: (text: string) => void): Promise<DemoReport> {
  let log: string;
  let schema: LogSchema;
  if (options.input) {
    log = options.input;
    schema = loadLogSchema(options);
  } else {
    log = path.join(workDir, 'synthetic-log.csv');
    step(`synth: ${options.events} events, ${options.concurrentSessions} concurrent sessions -> ${log}`);
    await writeSyntheticLog(log, { events: options.events, concurrentSessions: options.concurrentSessions, seed: options.seed });
    schema = getPreset('synthetic');
  }
  const datasets: Record<'time' | 'session', string> = { time: path.join(workDir, 'samples-time'), session: path.join(workDir, 'samples-session') };
  const written: Record<string, { bytes: number; rows: number; sessions: number; events: number }> = {};
  for (const order of ['time', 'session'] as const) {
    step(`samples: ${order} order -> ${datasets[order]}`);
    const result = await generateSamples({ inputs: [log], schema, output: datasets[order], order, seed: options.seed, overwrite: true, rowGroupSize: 8192 });
    written[order] = {
      bytes: result.manifest.shards.reduce((sum, shard) => sum + shard.bytes, 0),
      rows: result.manifest.rows,
      sessions: result.manifest.sessions,
      events: result.events,
    };
  }

  step('loader: one pass over the session-ordered samples, dedup on and off');
  const pass = async (dedup: boolean) => {
    const dataset = await openDataset(datasets.session, { batchSize: options.batchSize, dedup });
    let samples = 0;
    let bytes = 0;
    const started = performance.now();
    for await (const batch of dataset) {
      samples += batch.size;
      const session = batch.sessionSparse;
      bytes += 'byteLength' in session ? session.byteLength : 0;
    }
    return { samplesPerSecond: samples / ((performance.now() - started) / 1000), bytes };
  };
  await pass(true); // warm up the reader and the caches
  const off = await pass(false);
  const on = await pass(true);

  const train = async (dedup: boolean): Promise<{ summary: TrainSummary; result: TrainDatasetResult }> => {
    step(`train: ${options.trainSamples} samples, dedup ${dedup ? 'on' : 'off'} (self-attention over the user history)`);
    const result = await trainOnDataset({
      data: datasets.session,
      dedup,
      batchSize: options.batchSize,
      limit: options.trainSamples,
      sequenceEncoder: 'mean-mlp',
      sessionSequenceEncoder: 'attention',
      seed: options.seed,
    });
    const losses = result.losses;
    return {
      result,
      summary: {
        samplesPerSecond: result.samplesPerSecond,
        finalLoss: losses[losses.length - 1],
        auc: result.eval?.auc ?? NaN,
        ne: result.eval?.ne ?? NaN,
      },
    };
  };
  const trainedOff = await train(false);
  const trainedOn = await train(true);
  let maxLossDifference = 0;
  trainedOn.result.losses.forEach((loss, i) => {
    const other = trainedOff.result.losses[i];
    maxLossDifference = Math.max(maxLossDifference, Math.abs(loss - other) / Math.max(1e-12, Math.abs(other)));
  });

  return {
    source: options.input ? `${options.input} (${schema.name ?? 'custom schema'})` : `synthetic log (${options.events} events, ${options.concurrentSessions} concurrent sessions)`,
    events: written.session.events,
    samples: written.session.rows,
    sessions: written.session.sessions,
    storage: { timeBytes: written.time.bytes, sessionBytes: written.session.bytes, ratio: written.time.bytes / written.session.bytes },
    preprocessing: { dedupOn: on.samplesPerSecond, dedupOff: off.samplesPerSecond, ratio: on.samplesPerSecond / off.samplesPerSecond, batchBytesKjt: off.bytes, batchBytesIkjt: on.bytes },
    training: {
      dedupOn: trainedOn.summary,
      dedupOff: trainedOff.summary,
      ratio: trainedOn.summary.samplesPerSecond / trainedOff.summary.samplesPerSecond,
      maxLossDifference,
    },
  };
}

function printReport(report: DemoReport, io: Io, json: boolean): void {
  if (json) {
    io.stdout(JSON.stringify({ command: 'demo', ...report }) + '\n');
    return;
  }
  const { storage, preprocessing, training } = report;
  io.stdout(`\nRecD on ${report.source}: ${report.events} events -> ${report.samples} samples in ${report.sessions} sessions\n\n`);
  io.stdout(
    formatTable(
      ['gain', 'without RecD', 'with RecD', 'recd', 'RecD paper'],
      [
        ['storage (Parquet, zstd)', `${formatBytes(storage.timeBytes)} time order`, `${formatBytes(storage.sessionBytes)} session order`, `${storage.ratio.toFixed(2)}x`, `${PAPER.storage}x`],
        [
          'preprocessing (loader)',
          `${Math.round(preprocessing.dedupOff)} samples/s`,
          `${Math.round(preprocessing.dedupOn)} samples/s`,
          `${preprocessing.ratio.toFixed(2)}x`,
          `${PAPER.preprocessing}x`,
        ],
        [
          'bytes shipped per epoch (session features)',
          formatBytes(preprocessing.batchBytesKjt),
          formatBytes(preprocessing.batchBytesIkjt),
          `${(preprocessing.batchBytesKjt / preprocessing.batchBytesIkjt).toFixed(2)}x`,
          '',
        ],
        [
          'training (DLRM, attention encoder)',
          `${Math.round(training.dedupOff.samplesPerSecond)} samples/s`,
          `${Math.round(training.dedupOn.samplesPerSecond)} samples/s`,
          `${training.ratio.toFixed(2)}x`,
          `${PAPER.training}x`,
        ],
      ],
    ) + '\n\n',
  );
  io.stdout(
    formatTable(
      ['model quality (held-out latest sessions)', 'dedup off', 'dedup on'],
      [
        ['final training loss', training.dedupOff.finalLoss.toFixed(6), training.dedupOn.finalLoss.toFixed(6)],
        ['AUC', training.dedupOff.auc.toFixed(4), training.dedupOn.auc.toFixed(4)],
        ['normalized entropy', training.dedupOff.ne.toFixed(4), training.dedupOn.ne.toFixed(4)],
      ],
    ) + '\n',
  );
  io.stdout(`largest relative difference between the two runs' step losses: ${training.maxLossDifference.toExponential(2)}\n`);
}
