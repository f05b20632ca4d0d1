import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { InputError, RecdError } from '@recd/core';
import { DatasetWriter } from '../dataset/dataset-writer';
import { DEFAULT_ZSTD_LEVEL } from '../dataset/parquet-settings';
import type { Codec, DatasetManifest, SampleOrder } from '../dataset/manifest';
import { EventExtractor, RejectedEvent } from '../log/extract-events';
import type { EventTable } from '../log/events';
import { LogSchema, labelRuleOf, validateLogSchema } from '../log/log-schema';
import { EventPartitioner } from '../log/partitioner';
import { eventTableBuffers } from '../log/event-buffers';
import { defaultReadThreads, readEvents } from '../log/read-events';
import { writeFileAtomic } from '../dataset/atomic-files';
import { generatePartitionSamples, GenerateContext, SampleRun } from './generate-partition';
import { GeneratePool } from './generate-pool';
import { hashInt64 } from './int64-words';
import { mergeRuns } from './merge-runs';
import { NegativePool } from './negative-pool';
import { SampleLayoutOptions, sampleColumnEncodings, sampleLayout } from './sample-layout';
import type { ColumnEncodingChoice } from '../dataset/encoding-trial';
import { RunSource, memoryRun, spillRun, spilledRun } from './sample-runs';
import { defaultMaxEncoderThreads, encoderThreadsFor } from './encoding-budget';
import { PrestartedEncoders } from '../encode/encoder-pool';
import { PageEncoder, defaultPageEncoder } from '../dataset/parquet-settings';
import { SessionizeOptions, sessionize } from './sessions';
import { StretchAssembler } from './stretch-assembler';

export interface GenerateSamplesOptions {
  /** Log files (CSV/TSV, Parquet, Arrow IPC), read in this order. */
  inputs: string[];
  schema: LogSchema;
  /** Output dataset folder. */
  output: string;
  /** `session` (RecD: a session's samples together), `time` (as logs arrive) or `random` (seeded). Default `session`. */
  order?: SampleOrder;
  codec?: Codec;
  /** ZSTD level, 1..22 (default 3; see DatasetWriterOptions.zstdLevel). */
  zstdLevel?: number;
  /**
   * Values of list columns: `dictionary` or `plain`. Default: `plain` with ZSTD above level 1,
   * else `dictionary` (see {@link defaultListEncoding}).
   */
  listEncoding?: 'dictionary' | 'plain';
  /** Number of shard files, split by a hash of the session (default 1). */
  shards?: number;
  /** Produce only shard `index` of `count` (independent processes or machines); overrides `shards`. */
  shard?: { index: number; count: number };
  /** Memory budget for events and sample runs; beyond it they spill to disk (default 1024). */
  memoryMb?: number;
  /** Rows per Parquet row group (default 65536). */
  rowGroupSize?: number;
  /** Parquet data page size limit (default 1 MiB). */
  dataPageSizeBytes?: number;
  seed?: number;
  /** `stop` at the first malformed row (default) or `skip` it, count it and write it to rejects.jsonl. */
  onError?: 'stop' | 'skip';
  overwrite?: boolean;
  layout?: SampleLayoutOptions;
  /** Encodings of the int64/float32 sample columns (default {@link sampleColumnEncodings}: all by trial). */
  columnEncodings?: Readonly<Record<string, ColumnEncodingChoice>>;
  /**
   * Worker threads that encode Parquet row groups while this thread merges samples (0: encode in
   * this thread). Default: as many as the memory budget leaves room for (encoding-budget.ts), at
   * most the number of CPUs and 4. The dataset is the same bytes whatever the number.
   */
  encoderThreads?: number;
  /**
   * Worker threads that generate partitions' samples side by side with this thread (0: generate
   * in this thread only). Default: the CPUs, at most 4, less one (this thread), where the budget lets two partitions be generated at once (the
   * default partitioning makes room for one per thread unless the log is large for the budget,
   * see partitionsFor). The dataset is the same bytes whatever the number.
   */
  generateThreads?: number;
  /**
   * What encodes the Parquet pages: `native` (recd's own encoder; the default for zstd and none)
   * or `parquet-wasm` (the default for snappy and gzip). The values are the same; the bytes differ.
   */
  pageEncoder?: PageEncoder;
  /**
   * Worker threads that extract the events of CSV chunks while this thread reads, scans and
   * partitions (0: read in this thread only). Default: 1 for inputs of 8 MiB or more where there
   * is a second CPU, else 0. The dataset is the same bytes whatever the number.
   */
  readThreads?: number;
  /** Where spill files go (default: the system temp folder). */
  tmpDir?: string;
  /** Partitions of the log (default: from input size and memory). The result does not depend on it. */
  partitions?: number;
  onProgress?: (progress: GenerateProgress) => void;
}

export type GenerateProgress =
  | { phase: 'read'; file: string; events: number; rejected: number }
  | { phase: 'generate'; partition: number; partitions: number; samples: number }
  | { phase: 'write'; rows: number; totalRows: number };

export interface GenerateSamplesResult {
  manifest: DatasetManifest;
  events: number;
  rejected: number;
  ignored: number;
  samples: number;
  partitions: number;
  spilledBytes: number;
  /** Worker threads that encoded Parquet (0: encoded in the calling thread). */
  encoderThreads: number;
  /** Worker threads that generated samples (0: generated in the calling thread). */
  generateThreads: number;
  /** Worker threads that extracted CSV events while the calling thread read (0: none). */
  readThreads: number;
  seconds: { read: number; generate: number; write: number; total: number };
}

const NEGATIVE_POOL_SIZE = 65536;

/**
 * List values plain when ZSTD runs above level 1, else with a dictionary. Measured on 2M samples
 * (100k concurrent sessions, bench/zstd-levels.ts, B/sample time / session / user order): ZSTD
 * level 3 with plain lists 63.5 / 19.3 / 17.1, with dictionary lists 55.3 / 29.6 / 24.3; level 1
 * (where a session's repeated 8-byte ids are barely found) plain 64.8 / 51.9 / 50.4, dictionary
 * 60.8 / 29.7 / 24.4. Other codecs keep the dictionary (not measured with plain lists).
 */
export function defaultListEncoding(codec: Codec, zstdLevel: number): 'dictionary' | 'plain' {
  return codec === 'zstd' && zstdLevel > 1 ? 'plain' : 'dictionary';
}

/**
 * Interaction logs to a sample dataset: read and partition events (spilling under the memory
 * budget), sessionize and generate samples partition by partition into sorted runs, then merge
 * the runs in the requested order into Parquet shards with a manifest written last. The dataset
 * is the same, byte for byte, whatever the memory budget.
 */
export async function generateSamples(options: GenerateSamplesOptions): Promise<GenerateSamplesResult> {
  const started = performance.now();
  const schema = options.schema;
  validateLogSchema(schema, schema.name ? `preset ${schema.name}` : 'log schema');
  if (options.inputs.length === 0) throw new RecdError('generateSamples: expected at least one input file');
  const order = options.order ?? 'session';
  const shardCount = options.shard?.count ?? options.shards ?? 1;
  const onlyShard = options.shard?.index;
  if (!(Number.isInteger(shardCount) && shardCount >= 1)) throw new RecdError(`expected a positive number of shards, got ${shardCount}`);
  if (onlyShard !== undefined && !(Number.isInteger(onlyShard) && onlyShard >= 0 && onlyShard < shardCount)) {
    throw new RecdError(`expected shard index in [0, ${shardCount}), got ${onlyShard}`);
  }
  const budgetBytes = (options.memoryMb ?? 1024) * 1024 * 1024;
  const seed = options.seed ?? 1;
  const label = labelRuleOf(schema);
  const layout = sampleLayout(schema, options.layout);
  const inputBytes = options.inputs.reduce((sum, file) => sum + (fs.existsSync(file) ? fs.statSync(file).size : 0), 0);
  const generateThreads = options.generateThreads ?? (GeneratePool.available() ? defaultMaxEncoderThreads(os.availableParallelism()) - 1 : 0);
  if (!(Number.isInteger(generateThreads) && generateThreads >= 0)) throw new RecdError(`expected generateThreads >= 0, got ${generateThreads}`);
  const partitions = options.partitions ?? partitionsFor(inputBytes, budgetBytes, generateThreads > 0 ? generateThreads + 1 : 1);
  const tmpDir = fs.mkdtempSync(path.join(options.tmpDir ?? os.tmpdir(), 'recd-samples-'));
  let writer: DatasetWriter | undefined;
  const pageEncoder = options.pageEncoder ?? defaultPageEncoder(options.codec ?? 'zstd');
  // the native encoder's threads start and compile while the log is read (the write phase takes them)
  const prestarted =
    pageEncoder === 'native' && options.encoderThreads !== 0
      ? new PrestartedEncoders(options.encoderThreads ?? defaultMaxEncoderThreads(os.availableParallelism()), options.zstdLevel ?? DEFAULT_ZSTD_LEVEL)
      : undefined;
  try {
    // 1. read: log rows -> events -> partitions (spilled beyond half the budget)
    const extractor = new EventExtractor(schema, { onError: options.onError });
    const partitioner = new EventPartitioner({
      partitions,
      numDense: schema.dense?.length ?? 0,
      numCategorical: schema.categorical?.length ?? 0,
      tmpDir,
      budgetBytes: budgetBytes / 2,
    });
    const pool = label.kind === 'next-item' ? new NegativePool(NEGATIVE_POOL_SIZE, seed) : undefined;
    let events = 0;
    const readThreads = options.readThreads ?? defaultReadThreads(inputBytes);
    await readEvents(options.inputs, schema, extractor, { onError: options.onError, threads: readThreads, partitions }, (table, file, partitionOf) => {
      pool?.offer(wordsOf(table.item), 0, table.length);
      partitioner.add(table, partitionOf);
      events += table.length;
      options.onProgress?.({ phase: 'read', file, events, rejected: extractor.rejectedCount });
    });
    if (events === 0) {
      throw new InputError({ file: options.inputs.join(', ') }, extractor.rejectedCount > 0 ? `every row was rejected (${extractor.rejectedCount})` : 'no events: the input is empty');
    }
    const readDone = performance.now();

    // 2. generate: per partition, sessions -> samples -> one sorted run (in memory or spilled)
    const context: GenerateContext = { layout, label, order, seed, negativePool: pool?.words() ?? new Int32Array(0), sharedRuns: true };
    const runs: RunSource[] = [];
    const sessionsPerShard = new Array(shardCount).fill(0);
    const rowsPerShard = new Array(shardCount).fill(0);
    let samples = 0;
    let runBytesInMemory = 0;
    let spilledRunBytes = 0;
    let allRunBytes = 0;
    /** What the merge holds of the spilled runs: one block each. */
    let spilledBlockBytes = 0;
    /** The events in memory now (at most half the budget), and those of partitions out for generation. */
    const eventBytesAtStart = partitioner.memoryBytes;
    const eventsOut = { bytes: 0 };
    const sessionOptions = { hasSessionColumn: schema.session !== undefined, gapMs: (schema.sessionGapMinutes ?? 30) * 60_000 };
    const addRun = (p: number, run: SampleRun): void => {
      countShards(run.chunk.columns[layout.index.sessionId].values as BigInt64Array, run.sub, shardCount, sessionsPerShard, rowsPerShard);
      samples += run.chunk.length;
      const runBytes = chunkBytes(run.chunk);
      allRunBytes += runBytes;
      // runs have half the budget, and what the partitions' events free as they are taken
      const releasedEventBytes = Math.max(0, eventBytesAtStart - partitioner.memoryBytes - eventsOut.bytes);
      if (runBytesInMemory + runBytes <= budgetBytes / 2 + releasedEventBytes) {
        runs.push(memoryRun(run));
        runBytesInMemory += runBytes;
      } else {
        const file = path.join(tmpDir, `run-${p}.bin`);
        const bytesPerRow = Math.max(1, runBytes / Math.max(1, run.chunk.length));
        const blockRows = Math.max(64, Math.floor(budgetBytes / 4 / partitions / bytesPerRow));
        spilledRunBytes += spillRun(run, file, blockRows);
        spilledBlockBytes += Math.min(runBytes, blockRows * bytesPerRow);
        runs.push(spilledRun(file, layout.columns));
      }
      options.onProgress?.({ phase: 'generate', partition: p + 1, partitions, samples });
    };
    // by default only where two partitions fit out at once; asked for, wherever there are two partitions
    const worthThreads = options.generateThreads !== undefined ? partitions > 1 : partitionsOutAtOnce(inputBytes, budgetBytes, partitions) >= 2;
    const usedGenerateThreads = generateThreads > 0 && worthThreads ? generateThreads : 0;
    if (usedGenerateThreads > 0) {
      // partitions out at once: their estimated working sets (choosePartitions' estimate) within a quarter of the budget
      const pool = new GeneratePool(generateThreads);
      try {
        await generateInPool(pool, partitioner, sessionOptions, context, { limitBytes: budgetBytes / 4, bytesPerEvent: (PARTITION_BYTES_PER_INPUT_BYTE * inputBytes) / events, eventsOut }, addRun);
      } finally {
        await pool.close();
      }
    } else {
      for (let p = 0; p < partitions; p++) {
        const partitionEvents = partitioner.take(p);
        if (partitionEvents.length > 0) addRun(p, generatePartitionSamples(partitionEvents, sessionize(partitionEvents, sessionOptions), context));
      }
    }
    const generateDone = performance.now();

    // 3. merge the runs in order and write the shards; rejects, then the manifest, last.
    // Encoder threads get what the budget leaves beside the runs in memory and the spilled runs' blocks.
    const shardsWritten = onlyShard === undefined ? shardCount : 1;
    const rowGroupBytes = (Math.min(samples, options.rowGroupSize ?? 65536) * allRunBytes) / Math.max(1, samples);
    const encoderThreads =
      options.encoderThreads ??
      encoderThreadsFor(budgetBytes - runBytesInMemory - spilledBlockBytes, rowGroupBytes, shardsWritten, defaultMaxEncoderThreads(os.availableParallelism()), pageEncoder);
    writer = await DatasetWriter.create(options.output, {
      shards: onlyShard === undefined ? shardCount : 1,
      codec: options.codec,
      zstdLevel: options.zstdLevel,
      listEncoding: options.listEncoding ?? defaultListEncoding(options.codec ?? 'zstd', options.zstdLevel ?? DEFAULT_ZSTD_LEVEL),
      rowGroupSize: options.rowGroupSize,
      dataPageSizeBytes: options.dataPageSizeBytes,
      overwrite: options.overwrite,
      filePrefix: onlyShard === undefined ? 'part' : `part-${onlyShard}-of-${shardCount}`,
      sessionColumn: null,
      columnEncodings: options.columnEncodings ?? sampleColumnEncodings(layout),
      encoderThreads,
      pageEncoder,
      prestartedEncoders: prestarted,
    });
    const rowGroupSize = options.rowGroupSize ?? 65536;
    const builders = Array.from({ length: shardCount }, () => new StretchAssembler(layout.columns));
    const totalRows = onlyShard === undefined ? samples : rowsPerShard[onlyShard];
    let written = 0;
    const activeWriter = writer;
    const flush = async (shard: number): Promise<void> => {
      // the rows go as stretches of the runs' chunks: assembled in an encoder thread where there are some
      const stretches = builders[shard].takeStretches();
      written += stretches.length;
      await activeWriter.writeStretches(onlyShard === undefined ? shard : 0, stretches);
      options.onProgress?.({ phase: 'write', rows: written, totalRows });
    };
    await mergeRuns(runs, layout.index, async (block, from, to) => {
      // the session ids' words only where rows are split among shards (a view per stretch otherwise wasted)
      const sessionWords = shardCount === 1 ? NO_WORDS : wordsOf(block.chunk.columns[layout.index.sessionId].values as BigInt64Array);
      let start = from;
      while (start < to) {
        const shard = shardCount === 1 ? 0 : hashInt64(sessionWords, start, SHARD_SEED) % shardCount;
        let end = start + 1;
        if (shardCount > 1) while (end < to && hashInt64(sessionWords, end, SHARD_SEED) % shardCount === shard) end++;
        else end = to;
        if (onlyShard === undefined || shard === onlyShard) {
          // chunks of exactly rowGroupSize rows, whatever the stretches (which depend on the
          // partitioning): the encoder's batches, and so the file's bytes, depend on them
          const builder = builders[shard];
          for (let from = start; from < end; ) {
            const take = Math.min(end - from, rowGroupSize - builder.length);
            builder.add(block.chunk, from, from + take);
            from += take;
            if (builder.length >= rowGroupSize) await flush(shard);
          }
        }
        start = end;
      }
    });
    for (let shard = 0; shard < shardCount; shard++) if (builders[shard].length > 0) await flush(shard);
    let rejectsFile: string | undefined;
    if (extractor.rejectedCount > 0) {
      rejectsFile = 'rejects.jsonl';
      await writeFileAtomic(path.join(options.output, rejectsFile), extractor.rejected.map((reject: RejectedEvent) => JSON.stringify(reject)).join('\n') + '\n');
    }
    const manifest = await writer.finish({
      order,
      schema: layout.schema,
      sessionsPerShard: onlyShard === undefined ? sessionsPerShard : [sessionsPerShard[onlyShard]],
      createdBy: '@recd/datagen 0.1.0',
      shardOf: onlyShard === undefined ? undefined : { index: onlyShard, count: shardCount },
      source: {
        inputs: options.inputs.map((file) => path.basename(file)),
        preset: schema.name,
        label,
        seed,
        prefixLength: layout.prefixLength,
        historyLength: layout.historyLength,
        events,
        ignoredEvents: extractor.ignored,
      },
      rejects: extractor.rejectedCount > 0 ? { count: extractor.rejectedCount, file: rejectsFile } : undefined,
    });
    const done = performance.now();
    return {
      manifest,
      events,
      rejected: extractor.rejectedCount,
      ignored: extractor.ignored,
      samples,
      partitions,
      spilledBytes: partitioner.spilledBytes + spilledRunBytes,
      encoderThreads,
      generateThreads: usedGenerateThreads,
      readThreads,
      seconds: {
        read: (readDone - started) / 1000,
        generate: (generateDone - readDone) / 1000,
        write: (done - generateDone) / 1000,
        total: (done - started) / 1000,
      },
    };
  } catch (error) {
    await writer?.abort().catch(() => undefined);
    throw error;
  } finally {
    await prestarted?.release();
    fs.rmSync(tmpDir, { recursive: true, force: true });
  }
}

const SHARD_SEED = 0x53484152;
const NO_WORDS = new Int32Array(0);

/** The shard a session's samples go to (a hash of the session id). */
export function shardOfSession(sessionId: bigint, shards: number): number {
  const words = new Int32Array(new BigInt64Array([sessionId]).buffer);
  return hashInt64(words, 0, SHARD_SEED) % shards;
}

function countShards(sessionIds: BigInt64Array, sub: Int32Array, shards: number, sessionsPerShard: number[], rowsPerShard: number[]): void {
  const words = wordsOf(sessionIds);
  for (let i = 0; i < sub.length; i++) {
    const shard = shards === 1 ? 0 : hashInt64(words, i, SHARD_SEED) % shards;
    rowsPerShard[shard]++;
    if (sub[i] === 0) sessionsPerShard[shard]++;
  }
}

/** The bytes under an event table's columns. */
function eventTableBytes(events: EventTable): number {
  return eventTableBuffers(events).reduce((sum, buffer) => sum + buffer.byteLength, 0);
}

function wordsOf(values: BigInt64Array): Int32Array {
  return new Int32Array(values.buffer, values.byteOffset, 2 * values.length);
}

function chunkBytes(chunk: { columns: { values: ArrayBufferView; offsets?: Int32Array }[] }): number {
  return chunk.columns.reduce((sum, column) => sum + column.values.byteLength + (column.offsets?.byteLength ?? 0), 0);
}

/** What a partition's events and samples take in memory, per byte of its input (an upper estimate). */
const PARTITION_BYTES_PER_INPUT_BYTE = 64;

/**
 * The default partitioning: enough partitions that one partition's events and samples fit in a
 * quarter of the budget, and, with generation threads, that one per thread fits together, unless
 * the log is large for the budget (more than 32 partitions even for one): there the runs spill,
 * and more partitions mean more spill files and merge runs (measured on 10M events with
 * `memoryMb: 256`, 1024 partitions against 512: read 16.8 s against 12.3 s, generate 28.9 s
 * against 21.3 s), while spilling, in this thread, leaves generation threads waiting.
 */
function partitionsFor(inputBytes: number, budgetBytes: number, generateThreads: number): number {
  const partitions = choosePartitions(inputBytes, budgetBytes, 1);
  return generateThreads > 1 && partitions <= 32 ? choosePartitions(inputBytes, budgetBytes, generateThreads) : partitions;
}

/** How many average partitions fit out at once in a quarter of the budget (what generateInPool allows). */
function partitionsOutAtOnce(inputBytes: number, budgetBytes: number, partitions: number): number {
  return Math.floor(budgetBytes / 4 / Math.max(1, (inputBytes * PARTITION_BYTES_PER_INPUT_BYTE) / partitions));
}

/** Enough partitions that `inFlight` partitions' events and samples fit in a quarter of the budget. */
function choosePartitions(inputBytes: number, budgetBytes: number, inFlight: number): number {
  let partitions = 1;
  while (partitions < 1024 && (inputBytes * PARTITION_BYTES_PER_INPUT_BYTE * inFlight) / partitions > budgetBytes / 4) partitions *= 2;
  return partitions;
}

/**
 * Generates the partitions in the pool's threads and in this thread, several at a time (a
 * partition goes to an idle worker, else is generated here), and hands the runs to `addRun` in
 * partition order (as the in-thread loop does). A partition goes out when the
 * estimated working sets of those out (events times `bytesPerEvent`) leave room for it within
 * `limitBytes`, or when none is out.
 */
async function generateInPool(
  pool: GeneratePool,
  partitioner: EventPartitioner,
  sessionOptions: SessionizeOptions,
  context: GenerateContext,
  memory: { limitBytes: number; bytesPerEvent: number; eventsOut: { bytes: number } },
  addRun: (p: number, run: SampleRun) => void,
): Promise<void> {
  const inThread = (events: EventTable): SampleRun => generatePartitionSamples(events, sessionize(events, sessionOptions), context);
  const out: { p: number; bytes: number; eventBytes: number; run: Promise<SampleRun> }[] = [];
  let outBytes = 0;
  const settleOldest = async (): Promise<void> => {
    const oldest = out.shift()!;
    outBytes -= oldest.bytes;
    const run = await oldest.run;
    memory.eventsOut.bytes -= oldest.eventBytes;
    addRun(oldest.p, run);
  };
  try {
    for (let p = 0; p < partitioner.partitions; p++) {
      const events = partitioner.take(p);
      if (events.length === 0) continue;
      const bytes = events.length * memory.bytesPerEvent;
      while (out.length > 0 && outBytes + bytes > memory.limitBytes) await settleOldest();
      await new Promise((resolve) => setImmediate(resolve)); // takes in the runs that came back, so idle workers show
      // to a worker if one is idle, else here (this thread would only wait)
      const eventBytes = eventTableBytes(events); // before the table moves to a worker
      memory.eventsOut.bytes += eventBytes;
      const run = pool.outstanding < pool.threads ? pool.generate(events, sessionOptions, context) : Promise.resolve(inThread(events));
      run.catch(() => {}); // observed when its turn comes
      out.push({ p, bytes, eventBytes, run });
      outBytes += bytes;
    }
    while (out.length > 0) await settleOldest();
  } finally {
    out.length = 0;
  }
}
