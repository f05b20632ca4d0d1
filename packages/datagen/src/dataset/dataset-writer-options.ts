import { FeatureSchema, RecdError } from '@recd/core';
import type { Codec, DatasetManifest, SampleOrder } from './manifest';
import { CODECS, COLUMN_ENCODINGS, ColumnEncoding, DEFAULT_ZSTD_LEVEL, NATIVE_CODECS, PageEncoder, defaultPageEncoder, ParquetSettings } from './parquet-settings';
import { ZSTD_LEVELS } from '../encode/zstd-pages';
import type { ColumnEncodingChoice } from './encoding-trial';
import { isPlainFileName } from './existing-dataset';
import type { PrestartedEncoders } from '../encode/encoder-pool';

export interface DatasetWriterOptions {
  /** Number of shard files. */
  shards: number;
  /** Parquet compression (default `'zstd'`). */
  codec?: Codec;
  /**
   * ZSTD level, 1..22 (default 3; codec zstd only). Level 1 is parquet-wasm's own compression;
   * other levels compress the pages after encoding, in this thread.
   */
  zstdLevel?: number;
  /** Values of list columns: `dictionary` (default) or `plain` (see ParquetSettings.listEncoding). */
  listEncoding?: 'dictionary' | 'plain';
  /** Rows per row group (default 65536): the unit of streaming on both sides. */
  rowGroupSize?: number;
  /** Data page size limit in bytes (default 1 MiB). */
  dataPageSizeBytes?: number;
  /** int64 columns to write without a dictionary: continuous values or near-unique ids (default none). */
  plainColumns?: readonly string[];
  /**
   * Encodings of top-level int64/float32 columns by name, overriding the defaults (dictionary on
   * int64, plain on float32) and `plainColumns`; a name that is not a column fails the first write.
   * `trial`: chosen for each shard by encoding the first rows written to it each way and keeping
   * the smallest (dataset/encoding-trial.ts); the manifest's `shards[].columnEncodings` says what
   * was chosen.
   */
  columnEncodings?: Readonly<Record<string, ColumnEncodingChoice>>;
  /** Replace a complete dataset already in the folder (default false: refuse). */
  overwrite?: boolean;
  /** Shard files are `<filePrefix>-00000.parquet`, ... (default `'part'`). */
  filePrefix?: string;
  /**
   * An int64 column whose distinct values per shard are the shard's sessions (default
   * `'session_id'`, used when present), for a `finish` that is not told the session counts.
   * `null` turns counting off.
   */
  sessionColumn?: string | null;
  /**
   * Worker threads that encode row groups, several at a time (default 0: encode in this thread).
   * The files are the same bytes either way.
   */
  encoderThreads?: number;
  /**
   * What encodes the Parquet pages: `native`, recd's own encoder (encode/native/: PLAIN,
   * dictionary, DELTA_BINARY_PACKED and BYTE_STREAM_SPLIT pages, ZSTD at any level), or
   * `parquet-wasm` (the parquet crate compiled to WebAssembly). Default: `native` for the codecs it
   * compresses (zstd, none), else `parquet-wasm`. The values written are the same; the bytes differ.
   */
  pageEncoder?: PageEncoder;
  /** Encoder threads started (and warming up) ahead of the writer, taken by its pool first. */
  prestartedEncoders?: PrestartedEncoders;
}


/** What `finish` needs that the samples do not say. */
export interface DatasetFinishFields {
  order: SampleOrder;
  schema: FeatureSchema;
  /** Distinct sessions in each shard; default: counted from the session column. */
  sessionsPerShard?: readonly number[];
  /**
   * Distinct sessions in the dataset; default: counted from the session column, else the sum of
   * `sessionsPerShard` (right when no session spans two shards).
   */
  sessions?: number;
  /** Default `'@recd/datagen'`. */
  createdBy?: string;
  shardOf?: DatasetManifest['shardOf'];
  source?: DatasetManifest['source'];
  rejects?: DatasetManifest['rejects'];
}

export interface ResolvedWriterOptions extends ParquetSettings {
  /** Columns whose encoding each shard chooses by trial (not in `columnEncodings`). */
  trialColumns: string[];
  shards: number;
  overwrite: boolean;
  filePrefix: string;
  sessionColumn: string | null;
  encoderThreads: number;
  pageEncoder: PageEncoder;
  prestartedEncoders: PrestartedEncoders | undefined;
}

export const SAMPLE_ORDERS: readonly SampleOrder[] = ['session', 'time', 'random', 'user'];

export function resolveWriterOptions(options: DatasetWriterOptions): ResolvedWriterOptions {
  const resolved: ResolvedWriterOptions = {
    shards: options?.shards,
    codec: options.codec ?? 'zstd',
    zstdLevel: options.zstdLevel ?? DEFAULT_ZSTD_LEVEL,
    listEncoding: options.listEncoding ?? 'dictionary',
    rowGroupSize: options.rowGroupSize ?? 65536,
    dataPageSizeBytes: options.dataPageSizeBytes ?? 1 << 20,
    plainColumns: options.plainColumns ?? [],
    columnEncodings: Object.fromEntries(Object.entries(options.columnEncodings ?? {}).filter(([, encoding]) => encoding !== 'trial')) as Record<string, ColumnEncoding>,
    trialColumns: Object.entries(options.columnEncodings ?? {}).flatMap(([name, encoding]) => (encoding === 'trial' ? [name] : [])),
    overwrite: options.overwrite ?? false,
    filePrefix: options.filePrefix ?? 'part',
    sessionColumn: options.sessionColumn === undefined ? 'session_id' : options.sessionColumn,
    encoderThreads: options.encoderThreads ?? 0,
    pageEncoder: options.pageEncoder ?? defaultPageEncoder(options.codec ?? 'zstd'),
    prestartedEncoders: options.prestartedEncoders,
  };
  positiveInteger('shards', resolved.shards);
  positiveInteger('rowGroupSize', resolved.rowGroupSize);
  positiveInteger('dataPageSizeBytes', resolved.dataPageSizeBytes);
  if (!(Number.isSafeInteger(resolved.encoderThreads) && resolved.encoderThreads >= 0)) {
    throw new RecdError(`DatasetWriter: expected encoderThreads to be a non-negative integer, got ${resolved.encoderThreads}`);
  }
  if (resolved.listEncoding !== 'dictionary' && resolved.listEncoding !== 'plain') {
    throw new RecdError(`DatasetWriter: expected listEncoding dictionary or plain, got ${JSON.stringify(resolved.listEncoding)}`);
  }
  const level = resolved.zstdLevel!;
  if (!(Number.isInteger(level) && level >= ZSTD_LEVELS.min && level <= ZSTD_LEVELS.max)) {
    throw new RecdError(`DatasetWriter: expected zstdLevel to be an integer in [${ZSTD_LEVELS.min}, ${ZSTD_LEVELS.max}], got ${level}`);
  }
  if (!CODECS.includes(resolved.codec)) throw new RecdError(`DatasetWriter: expected codec ${CODECS.join(', ')}, got ${JSON.stringify(resolved.codec)}`);
  if (resolved.pageEncoder !== 'native' && resolved.pageEncoder !== 'parquet-wasm') {
    throw new RecdError(`DatasetWriter: expected pageEncoder native or parquet-wasm, got ${JSON.stringify(resolved.pageEncoder)}`);
  }
  if (resolved.pageEncoder === 'native' && !NATIVE_CODECS.includes(resolved.codec)) {
    throw new RecdError(`DatasetWriter: the native page encoder compresses ${NATIVE_CODECS.join(' and ')} only, not ${resolved.codec}; use pageEncoder parquet-wasm`);
  }
  for (const [name, encoding] of Object.entries(resolved.columnEncodings ?? {})) {
    if (!COLUMN_ENCODINGS.includes(encoding)) throw new RecdError(`DatasetWriter: expected columnEncodings.${name} to be ${COLUMN_ENCODINGS.join(', ')} or trial, got ${JSON.stringify(encoding)}`);
  }
  if (!isPlainFileName(resolved.filePrefix) || resolved.filePrefix.startsWith('.')) {
    throw new RecdError(`DatasetWriter: expected a filePrefix without path separators or a leading dot, got ${JSON.stringify(resolved.filePrefix)}`);
  }
  return resolved;
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) throw new RecdError(`DatasetWriter: expected ${name} to be a positive integer, got ${value}`);
}

/** The sessions of each shard and in all, from the caller or counted; throws when neither has them. */
export function resolveSessions(
  fields: DatasetFinishFields,
  shards: number,
  counted: { perShard: number[]; total: number } | undefined,
  sessionColumn: string | null,
): { perShard: number[]; total: number } {
  const { sessionsPerShard, sessions } = fields;
  if (sessions !== undefined && !(Number.isSafeInteger(sessions) && sessions >= 0)) {
    throw new RecdError(`DatasetWriter.finish: expected sessions to be a non-negative integer, got ${sessions}`);
  }
  if (sessionsPerShard !== undefined) {
    if (!Array.isArray(sessionsPerShard) || sessionsPerShard.length !== shards || !sessionsPerShard.every((n) => Number.isSafeInteger(n) && n >= 0)) {
      throw new RecdError(`DatasetWriter.finish: expected sessionsPerShard to be ${shards} non-negative integers, got ${JSON.stringify(sessionsPerShard)?.slice(0, 80)}`);
    }
    const sum = sessionsPerShard.reduce((a, b) => a + b, 0);
    return { perShard: [...sessionsPerShard], total: sessions ?? counted?.total ?? sum };
  }
  if (counted !== undefined) return { perShard: counted.perShard, total: sessions ?? counted.total };
  throw new RecdError(
    `DatasetWriter.finish: session counts unknown: pass sessionsPerShard, or write an int64 column "${sessionColumn ?? 'session_id'}" and leave sessionColumn on`,
  );
}
