import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Command } from 'commander';
import { generateSamples, getPreset, writeSyntheticLog, LogSchema } from '@recd/datagen';
import { InverseKeyedJaggedTensor } from '@recd/core';
import { openDataset } from '@recd/loader';
import { trainOnDataset, TrainDatasetResult } from '@recd/dlrm';
import type { Io } from '../io';
import { nonNegativeInt, positiveInt } from '../options';
import { formatBytes, formatRatio, formatTable } from '../table';
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

/** Timed loader passes per mode, alternating off/on after one warmup pass; the median is reported. */
const LOADER_PASSES = 3;

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
    .option('--train-samples <n>', 'samples each training run sees (128 steps of the default batch)', positiveInt, 131_072)
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
  preprocessing: {
    dedupOn: number;
    dedupOff: number;
    ratio: number;
    /** Timed passes per mode (alternating), the samples/s above are their medians. */
    passes: number;
    batchBytesKjt: number;
    batchBytesIkjt: number;
    /** Samples per unique row of the session features in a batch: what dedup divides by. */
    samplesPerUniqueRow: number;
  };
  training: { dedupOn: TrainSummary; dedupOff: TrainSummary; ratio: number; maxLossDifference: number; steps: number; samples: number };
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
  // at least a few row groups per shard, so the training run can hold the latest ones out
  const rowGroupSize = rowGroupSizeFor(options.input ? await countLines(log) : options.events);
  for (const order of ['time', 'session'] as const) {
    step(`samples: ${order} order -> ${datasets[order]}`);
    const result = await generateSamples({ inputs: [log], schema, output: datasets[order], order, seed: options.seed, overwrite: true, rowGroupSize });
    written[order] = {
      bytes: result.manifest.shards.reduce((sum, shard) => sum + shard.bytes, 0),
      rows: result.manifest.rows,
      sessions: result.manifest.sessions,
      events: result.events,
    };
  }

  step(`loader: ${LOADER_PASSES} passes each over the session-ordered samples, dedup off and on in turn (after a warmup pass)`);
  const pass = async (dedup: boolean) => {
    const dataset = await openDataset(datasets.session, { batchSize: options.batchSize, dedup });
    let samples = 0;
    let bytes = 0;
    let uniqueRows = 0;
    const started = performance.now();
    for await (const batch of dataset) {
      samples += batch.size;
      const session = batch.sessionSparse;
      bytes += session.byteLength;
      if (session instanceof InverseKeyedJaggedTensor && session.groups.length > 0) uniqueRows += session.groups[0].unique.stride;
    }
    return { samplesPerSecond: samples / ((performance.now() - started) / 1000), bytes, samples, uniqueRows };
  };
  await pass(true); // warm up the reader and the caches
  const passes: Record<'on' | 'off', Awaited<ReturnType<typeof pass>>[]> = { on: [], off: [] };
  for (let p = 0; p < LOADER_PASSES; p++) {
    passes.off.push(await pass(false));
    passes.on.push(await pass(true));
  }
  const on = { ...passes.on[0], samplesPerSecond: median(passes.on.map((p) => p.samplesPerSecond)) };
  const off = { ...passes.off[0], samplesPerSecond: median(passes.off.map((p) => p.samplesPerSecond)) };

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
    preprocessing: {
      dedupOn: on.samplesPerSecond,
      dedupOff: off.samplesPerSecond,
      ratio: on.samplesPerSecond / off.samplesPerSecond,
      passes: LOADER_PASSES,
      batchBytesKjt: off.bytes,
      batchBytesIkjt: on.bytes,
      samplesPerUniqueRow: on.uniqueRows > 0 ? on.samples / on.uniqueRows : NaN,
    },
    training: {
      dedupOn: trainedOn.summary,
      dedupOff: trainedOff.summary,
      ratio: trainedOn.summary.samplesPerSecond / trainedOff.summary.samplesPerSecond,
      maxLossDifference,
      steps: trainedOn.result.losses.length,
      samples: trainedOn.result.samples,
    },
  };
}

function printReport(report: DemoReport, io: Io, json: boolean): void {
  if (json) {
    io.stdout(JSON.stringify({ command: 'demo', ...report }) + '\n');
    return;
  }
  const { storage, preprocessing, training } = report;
  io.stdout(`\nRecD on ${report.source}: ${report.events} events -> ${report.samples} samples in ${report.sessions} sessions\n`);
  io.stdout(`batches of the session-ordered samples hold ${preprocessing.samplesPerUniqueRow.toFixed(1)} samples per unique row of the session features (what dedup divides by)\n\n`);
  io.stdout(
    formatTable(
      ['gain', 'without RecD', 'with RecD', 'recd', 'RecD paper'],
      [
        ['storage (Parquet, zstd)', `${formatBytes(storage.timeBytes)} time order`, `${formatBytes(storage.sessionBytes)} session order`, formatRatio(storage.ratio), `${PAPER.storage}x`],
        [
          `preprocessing (loader, median of ${preprocessing.passes} passes)`,
          `${Math.round(preprocessing.dedupOff)} samples/s`,
          `${Math.round(preprocessing.dedupOn)} samples/s`,
          formatRatio(preprocessing.ratio),
          `${PAPER.preprocessing}x`,
        ],
        ['  session feature bytes per epoch', formatBytes(preprocessing.batchBytesKjt), formatBytes(preprocessing.batchBytesIkjt), formatRatio(preprocessing.batchBytesKjt / preprocessing.batchBytesIkjt), ''],
        [
          'training (DLRM, end to end)',
          `${Math.round(training.dedupOff.samplesPerSecond)} samples/s`,
          `${Math.round(training.dedupOn.samplesPerSecond)} samples/s`,
          formatRatio(training.ratio),
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
    ) + '\n\n',
  );
  const notes = [
    `largest relative difference between the two runs' step losses: ${training.maxLossDifference.toExponential(2)} (dedup changes the work, not the model)`,
    `training: ${training.steps} steps of ${training.samples / Math.max(1, training.steps)} samples, samples/s including the wait for the loader; the model's user-history encoder is self-attention, the part dedup runs once per unique row`,
    `AUC and NE are those of a short run${training.dedupOn.ne >= 1 ? ' (NE >= 1: no better than predicting the base rate yet)' : ''}; the point is that they are the same with and without dedup`,
    preprocessing.ratio < PAPER.preprocessing
      ? `preprocessing: most of the loader's time goes to Parquet decoding (ZSTD pages and list levels, on the main thread), which dedup does not shorten; dedup saves the transforms and the bytes of repeated session rows (the row above)`
      : `preprocessing: dedup saves the transforms and the bytes of repeated session rows (the row above)`,
    `one run on ${os.cpus().length} cores: the throughput ratios move from run to run on a busy machine; npm run bench measures them with repetitions (bench/RESULTS.md)`,
  ];
  io.stdout(notes.map((note) => `- ${note}\n`).join(''));
}

/** 8192 rows per group, fewer for small logs (at least 16 groups, at least 256 rows each). */
function rowGroupSizeFor(rows: number): number {
  return Math.max(256, Math.min(8192, Math.floor(rows / 16)));
}

/** Lines of a file (newlines, plus a last line without one), read as a stream. */
async function countLines(file: string): Promise<number> {
  let lines = 0;
  let last = 10;
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    if (chunk.length > 0) last = chunk[chunk.length - 1];
  }
  return last === 10 ? lines : lines + 1;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
