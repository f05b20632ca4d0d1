/**
 * Storage: bytes per sample of the same samples stored in time order (as logs arrive), session
 * order (RecD) and random order, per codec and per column, on synthetic logs with 1k, 10k and
 * 100k concurrent sessions, and on the real logs in ../shared/datasets when present.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  generateSamples,
  getPreset,
  readParquetLayout,
  readShardChunks,
  fixedSampleColumnEncodings,
  sampleLayout,
  shardPaths,
  openDatasetManifest,
  writeSyntheticLog,
  LogSchema,
  Codec,
  SampleOrder,
} from '@recd/datagen';
import type { BenchContext, BenchResult } from './harness';

export interface StorageBenchOptions {
  events?: number;
  concurrency?: number[];
  /** Folder with diginetica-sample/ and ml-latest-small/ (default ../shared/datasets from the repo root). */
  datasets?: string;
}

interface Measured {
  source: string;
  order: SampleOrder;
  codec: Codec;
  rows: number;
  bytes: number;
  columns: Record<string, number>;
  /** Parquet encodings of each column, as the file's footer lists them. */
  encodings: Record<string, string[]>;
  /** `trial`: the defaults of `recd samples` (int64/float32 encodings chosen by trial); `fixed`: the fixed encodings used before. */
  variant: 'trial' | 'fixed';
  /** The encoding of each int64/float32 column (the manifest's, shard 0). */
  chosen: Record<string, string>;
  /** Merging and writing the Parquet shards (the pipeline's write phase). */
  writeSeconds: number;
  /** Decoding every column of the dataset back (readShardChunks), or NaN when not measured. */
  readSeconds: number;
}

const ROW_GROUP_SIZE = 65536;
/** The fixed per-column encodings `recd samples` used before it chose them by trial. */
const FIXED_ENCODINGS = fixedSampleColumnEncodings(sampleLayout(getPreset('synthetic')));
const PAGE_BYTES = 1 << 20;

async function measure(log: string, schema: LogSchema, source: string, order: SampleOrder, codec: Codec, tmp: string, timeRead: boolean, variant: Measured['variant'] = 'trial'): Promise<Measured> {
  const output = path.join(tmp, `${source}-${order}-${codec}-${variant}`.replace(/[^a-z0-9-]/gi, '_'));
  const columnEncodings = variant === 'fixed' ? FIXED_ENCODINGS : undefined;
  const result = await generateSamples({ inputs: [log], schema, output, order, codec, overwrite: true, rowGroupSize: ROW_GROUP_SIZE, dataPageSizeBytes: PAGE_BYTES, memoryMb: 2048, columnEncodings });
  const manifest = await openDatasetManifest(output);
  const columns: Record<string, number> = {};
  const encodings: Record<string, string[]> = {};
  for (const file of shardPaths(output, manifest)) {
    for (const column of (await readParquetLayout(file)).columns) {
      columns[column.name] = (columns[column.name] ?? 0) + column.compressedBytes;
      encodings[column.name] = [...new Set([...(encodings[column.name] ?? []), ...column.encodings])].sort();
    }
  }
  let readSeconds = NaN;
  if (timeRead) {
    const started = performance.now();
    for (const file of shardPaths(output, manifest)) for await (const chunk of readShardChunks(file, { batchSize: ROW_GROUP_SIZE })) void chunk;
    readSeconds = (performance.now() - started) / 1000;
  }
  const bytes = result.manifest.shards.reduce((sum, shard) => sum + shard.bytes, 0);
  fs.rmSync(output, { recursive: true, force: true });
  const chosen = { ...result.manifest.shards[0].columnEncodings };
  return { source, order, codec, rows: result.manifest.rows, bytes, columns, encodings, variant, chosen, writeSeconds: result.seconds.write, readSeconds };
}

export async function benchStorage(context: BenchContext, options: StorageBenchOptions = {}): Promise<BenchResult> {
  const events = options.events ?? Number(process.env.RECD_BENCH_EVENTS ?? 2_000_000);
  const concurrency = options.concurrency ?? [1_000, 10_000, 100_000];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'recd-bench-storage-'));
  const results: Measured[] = [];
  try {
    for (const sessions of concurrency) {
      const log = path.join(tmp, `synth-${sessions}.csv`);
      context.log(`storage: synth ${events} events, ${sessions} concurrent sessions`);
      await writeSyntheticLog(log, { events, concurrentSessions: sessions, seed: 1 });
      const source = `synthetic ${sessions / 1000}k concurrent`;
      const codecs: Codec[] = sessions === concurrency[concurrency.length - 1] ? ['zstd', 'snappy', 'gzip', 'none'] : ['zstd'];
      for (const codec of codecs) {
        for (const order of ['time', 'session', 'user', 'random'] as const) {
          if (codec !== 'zstd' && (order === 'random' || order === 'user')) continue;
          context.log(`storage: ${source}, ${order} order, ${codec}`);
          results.push(await measure(log, getPreset('synthetic'), source, order, codec, tmp, codec === 'zstd'));
        }
      }
      if (sessions === concurrency[concurrency.length - 1]) {
        for (const order of ['time', 'session', 'user'] as const) {
          context.log(`storage: ${source}, ${order} order, fixed encodings`);
          results.push(await measure(log, getPreset('synthetic'), source, order, 'zstd', tmp, false, 'fixed'));
        }
      }
      fs.rmSync(log, { force: true });
    }
    const shared = options.datasets ?? path.resolve(__dirname, '..', '..', '..', 'shared', 'datasets');
    const real: [string, string, string][] = [
      ['diginetica-sample', path.join(shared, 'diginetica-sample', 'sample_train-item-views.csv'), 'diginetica'],
      ['ml-latest-small', path.join(shared, 'ml-latest-small', 'ratings.csv'), 'movielens'],
    ];
    const skipped: string[] = [];
    for (const [name, file, preset] of real) {
      if (!fs.existsSync(file)) {
        skipped.push(`${name} not found at ${file}: skipped`);
        continue;
      }
      for (const order of ['time', 'session', 'user', 'random'] as const) {
        context.log(`storage: ${name}, ${order} order`);
        results.push(await measure(file, getPreset(preset), name, order, 'zstd', tmp, false));
      }
    }
    return report(results, events, skipped);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function report(all: Measured[], events: number, skipped: string[]): BenchResult {
  const results = all.filter((r) => r.variant === 'trial');
  const fixed = all.filter((r) => r.variant === 'fixed');
  const find = (source: string, order: SampleOrder, codec: Codec) => results.find((r) => r.source === source && r.order === order && r.codec === codec);
  const sources = [...new Set(results.map((r) => r.source))];
  const perSample = (r: Measured | undefined) => (r ? r.bytes / r.rows : NaN);
  const headline = sources.map((source) => {
    const time = find(source, 'time', 'zstd');
    const session = find(source, 'session', 'zstd');
    const user = find(source, 'user', 'zstd');
    const random = find(source, 'random', 'zstd');
    return [
      source,
      String(session?.rows ?? ''),
      perSample(time).toFixed(1),
      perSample(session).toFixed(1),
      perSample(user).toFixed(1),
      perSample(random).toFixed(1),
      `${(perSample(time) / perSample(session)).toFixed(2)}x`,
      `**${(perSample(time) / perSample(user)).toFixed(2)}x**`,
      `${(perSample(random) / perSample(user)).toFixed(2)}x`,
    ];
  });
  const codecRows = results
    .filter((r) => r.codec !== 'zstd' || r.source === sources.filter((s) => s.startsWith('synthetic')).slice(-1)[0])
    .filter((r) => r.source.startsWith('synthetic') && r.order !== 'random')
    .map((r) => [r.source, r.codec, r.order, (r.bytes / r.rows).toFixed(1)]);
  const biggest = sources.filter((s) => s.startsWith('synthetic')).slice(-1)[0];
  const columnNames = biggest ? Object.keys(find(biggest, 'session', 'zstd')!.columns) : [];
  const columnRows = columnNames.map((name) => {
    const time = find(biggest, 'time', 'zstd')!.columns[name] / find(biggest, 'time', 'zstd')!.rows;
    const session = find(biggest, 'session', 'zstd')!.columns[name] / find(biggest, 'session', 'zstd')!.rows;
    const user = find(biggest, 'user', 'zstd')!.columns[name] / find(biggest, 'user', 'zstd')!.rows;
    const chosen = (['time', 'session', 'user'] as const).map((order) => find(biggest, order, 'zstd')!.chosen[name] ?? 'plain (list values)');
    const encoding = new Set(chosen).size === 1 ? chosen[0] : chosen.join(' / ');
    return [name, encoding, time.toFixed(2), session.toFixed(2), user.toFixed(2), `${(time / user).toFixed(2)}x`];
  });
  const timingRows = sources
    .filter((source) => source.startsWith('synthetic'))
    .flatMap((source) =>
      (['time', 'session', 'user', 'random'] as const).map((order) => {
        const r = find(source, order, 'zstd')!;
        return [source, order, r.writeSeconds.toFixed(1), r.readSeconds.toFixed(1), (r.rows / r.readSeconds / 1e6).toFixed(2)];
      }),
    );
  const topSession = biggest ? perSample(find(biggest, 'time', 'zstd')) / perSample(find(biggest, 'session', 'zstd')) : NaN;
  const top = biggest ? perSample(find(biggest, 'time', 'zstd')) / perSample(find(biggest, 'user', 'zstd')) : NaN;
  const sessionTop = biggest ? find(biggest, 'user', 'zstd')! : undefined;
  const largest = sessionTop
    ? Object.entries(sessionTop.columns)
        .sort((a, b) => b[1] - a[1])
        .slice(0, 4)
        .map(([name, bytes]) => `${name} ${(bytes / sessionTop.rows).toFixed(2)} (${((100 * bytes) / sessionTop.bytes).toFixed(0)}%)`)
    : [];
  return {
    title: 'storage: bytes per sample by order, codec and column',
    description:
      `The same samples (from \`recd samples\`: 20-item in-session prefix, 50-item user history, session context) stored in **time** order ` +
      `(as logs arrive: the baseline), **session** order (RecD) and **random** order (fully interleaved), as Parquet with row groups of ` +
      `${ROW_GROUP_SIZE} rows and data pages of at most ${PAGE_BYTES / 1024} KiB (compression works within a page). Synthetic logs of ` +
      `${events} events from \`recd synth\` with 1k, 10k and 100k concurrent sessions: how many sessions are live at once decides how ` +
      `interleaved time order is. Nothing stored changes between orders, only the layout. **Session order**: sessions by start, the samples ` +
      `of a session together. **User order** (session-clustered too): a user's sessions together in start order, users by their first ` +
      `session start, so consecutive long-term histories overlap. The same writer settings for every order, the defaults of \`recd samples\`: parquet-wasm 0.8 (format 1.0 data ` +
      `pages, 1 MiB dictionary pages), ZSTD at level 3 (pages compressed by @recd/datagen after parquet-wasm wrote them uncompressed), ` +
      `PLAIN list values, and the per-column encodings in the per-column table (other codecs: parquet-wasm's own, lists with a dictionary).`,
    tables: [
      {
        columns: ['log', 'samples', 'time B/sample', 'session B/sample', 'user B/sample', 'random B/sample', 'time / session', 'time / user', 'random / user'],
        rows: headline,
      },
      { caption: 'Per codec (time and session order):', columns: ['log', 'codec', 'order', 'B/sample'], rows: codecRows },
      { caption: `Per column, ${biggest ?? ''}, zstd (bytes per sample; the encoding chosen by trial in time / session / user order, one name when all agree):`, columns: ['column', 'encoding', 'time', 'session', 'user', 'time / user'], rows: columnRows },
      {
        caption: `Encodings by trial (the default) against the fixed encodings used before (label dictionary; session_id, timestamp, user_id plain; other int64 dictionary, float32 plain), ${biggest ?? ''}, zstd, B/sample:`,
        columns: ['encodings', 'time', 'session', 'user', 'time / session', 'time / user'],
        rows: [['fixed', fixed], ['trial', results]].map(([name, rows]) => {
          const size = (order: SampleOrder) => perSample((rows as Measured[]).find((r) => r.source === biggest && r.order === order && r.codec === 'zstd'));
          return [name as string, size('time').toFixed(1), size('session').toFixed(1), size('user').toFixed(1), `${(size('time') / size('session')).toFixed(2)}x`, `${(size('time') / size('user')).toFixed(2)}x`];
        }),
      },
      {
        caption: 'Write and read time, zstd (one run each, on a shared machine: compare within a run): writing = merging the sorted runs and encoding the shards; reading = decoding every column back with readShardChunks:',
        columns: ['log', 'order', 'write s', 'read s', 'read M samples/s'],
        rows: timingRows,
      },
    ],
    targets: biggest
      ? [
          {
            target: 'time / session-clustered >= 3.71x at 100k concurrent sessions, zstd',
            measured: `${top.toFixed(2)}x with user order (${topSession.toFixed(2)}x with session order)`,
            met: top >= 3.71,
          },
        ]
      : [],
    notes: [
      'Real logs: diginetica-sample is small and its file is already grouped by session; within a day its sessions barely overlap in time, so time order is nearly session order and the ratio is small. ml-latest-small has 610 users whose ratings come in bursts; sessions (30-minute gap) rarely interleave. Both are far from the millions of interleaved sessions of an industry log.',
      ...(sessionTop
        ? [
            `Where user order's bytes are, ${biggest} (B/sample, share of the file): ${largest.join(', ')}. The lists are stored once per sample; ZSTD turns each repeat of a session's list into a match of a few bytes, not nothing, and the per-event columns (item, category, times) cost about as much as in time order.`,
          ]
        : []),
      'Every order is written with the defaults of `recd samples`: ZSTD level 3 (parquet-wasm writes pages uncompressed, @recd/datagen compresses them), PLAIN list values, and each int64/float32 column in the encoding that made its first row group smallest (a trial per dataset, so each order picks its own). Time order alone would be smallest with dictionary lists at level 9 (51.5 B/sample at 100k concurrent with encodings by trial, 52.8 with the fixed ones, `RECD_BENCH_EVENTS=2000000 node bench/dist/zstd-levels.js` and packages/datagen/docs/dataset-format.md): against that, user order at the defaults is 3.28x and session order 2.86x.',
      'User order is the better layout for storage, session order for a holdout of the latest sessions: the loader holds out the last row groups, which in user order are the users who came last (in examples/quick-start the holdout AUC fell from 0.55 to 0.48 with it), so `recd samples` keeps session order as the default.',
      ...skipped,
    ],
    data: all,
  };
}
