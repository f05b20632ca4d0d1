import { open, rename, rm, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Schema } from 'apache-arrow';
import { RecdError, validateFeatureSchema } from '@recd/core';
import { fsReason, makeDirectory, syncDirectory, temporaryPathFor, writeFileAtomic } from './atomic-files';
import { DatasetFinishFields, DatasetWriterOptions, ResolvedWriterOptions, SAMPLE_ORDERS, resolveSessions, resolveWriterOptions } from './dataset-writer-options';
import { clearExistingDataset } from './existing-dataset';
import { DatasetManifest, MANIFEST_FILE, MANIFEST_FORMAT, MANIFEST_VERSION, ShardInfo } from './manifest';
import { readParquetLayout } from './parquet-layout';
import { ColumnEncoding, ParquetSettings, columnEncodingsFor, recompressZstdLevel, writerPropertiesFor } from './parquet-settings';
import { chooseEncodingsByTrial, nativeTrialSettings } from './encoding-trial';
import { EncoderPool } from '../encode/encoder-pool';
import { InThreadShardEncoder, ShardEncoder } from '../encode/shard-encoder';
import { NativeShardEncoder } from '../encode/native-shard-encoder';
import { nativeShardSettings } from '../encode/native-shard-settings';
import { WorkerShardEncoder } from '../encode/worker-shard-encoder';
import { recordWriterProperties } from '../encode/writer-property-calls';
import { prepareZstd } from '../encode/zstd-pages';
import type { SampleChunk } from './sample-chunk';
import { arrowSchemaOf } from './sample-chunk-arrow';
import { emptyChunk, sampleChunkPieces, sliceSampleChunk } from './sample-chunk-slice';
import { ChunkStretches, StretchAssembler } from '../samples/stretch-assembler';
import { SampleColumnSpec, checkChunkColumns, columnsOf, validateSampleChunk } from './sample-chunk-validate';
import { checkSchemaColumns } from './schema-columns';
import { SessionCounter } from './session-counter';

/**
 * A chunk enters wasm memory (which never shrinks) in pieces of about this size: each piece is
 * copied there twice (IPC bytes, then the table). Writing 1M rows of 70 ids in chunks of 65536
 * rows (37 MB each) grew wasm memory to 250 MB for one shard whole, to 80 MB in 4 MiB pieces
 * (405 and 178 MB for four shards), at the same speed.
 */
const PIECE_BYTES = 4 << 20;

interface Shard {
  finalPath: string;
  temporaryPath: string;
  /** Started on the shard's first rows (or at finish, with no rows). */
  encoder: ShardEncoder | undefined;
  rows: number;
  /** Encodings of the top-level int64/float32 columns, fixed when the encoder starts (trials included). */
  columnEncodings: Record<string, ColumnEncoding> | undefined;
  /** Writes to one shard run one after another. */
  tail: Promise<void>;
}

type State = 'open' | 'finishing' | 'finished' | 'failed' | 'aborted';

/**
 * Writes a sample dataset: `shards` Parquet files streamed row group by row group, then
 * `manifest.json`. Nothing looks complete before `finish` returns: shards are written under hidden
 * temporary names and renamed into place after they are verified (footer row counts), and the
 * manifest is written last, itself through a temporary name. `abort` removes everything written.
 *
 * ```
 * const writer = await DatasetWriter.create('out/samples', { shards: 4 });
 * for await (const { shard, chunk } of samples) await writer.write(shard, chunk);
 * const manifest = await writer.finish({ order: 'session', schema });
 * ```
 *
 * Memory does not grow with the dataset: per started shard, about one encoded row group inside
 * parquet-wasm's encoder, plus one 4 MiB piece of the chunk being written (see PIECE_BYTES), plus
 * exact session counting (about 50 bytes per distinct session) when a session column is counted.
 */
export class DatasetWriter {
  readonly dir: string;
  readonly options: Readonly<ResolvedWriterOptions>;
  readonly #shards: Shard[];
  readonly #createdDirs: string[];
  #columns: SampleColumnSpec[] | undefined;
  #arrowSchema: Schema | undefined;
  #sessions: SessionCounter | undefined;
  #sessionColumnIndex = -1;
  #state: State = 'open';
  #failure: Error | undefined;
  #finishing: Promise<unknown> = Promise.resolve();
  readonly #renamed: string[] = [];
  /** Assembles stretches written here (writeStretches), its arrays reused. */
  #assembler: StretchAssembler | undefined;
  /** Source chunks of stretches already validated. */
  readonly #checked = new WeakSet<SampleChunk>();
  /** Encoder threads (options.encoderThreads > 0), shared by the shards. */
  readonly #pool: EncoderPool | undefined;

  private constructor(dir: string, options: ResolvedWriterOptions, createdDirs: string[]) {
    this.dir = dir;
    this.options = options;
    this.#createdDirs = createdDirs;
    // a ZSTD level other than parquet-wasm's goes through the row-group path (the pages are recompressed per row group)
    // parquet-wasm's pages recompressed with ZSTD: always in a worker thread (native pages compress where they are encoded)
    const recompress = options.pageEncoder === 'parquet-wasm' && recompressZstdLevel(options) !== undefined;
    const threads = recompress ? Math.max(1, options.encoderThreads) : options.encoderThreads;
    this.#pool = threads > 0 ? new EncoderPool(threads, threads, options.prestartedEncoders) : undefined;
    // the threads compile the native encoder while this thread waits for the first rows and runs the encoding trial
    if (options.pageEncoder === 'native') this.#pool?.warmUpNative(options.zstdLevel);
    this.#shards = Array.from({ length: options.shards }, (_, index) => {
      const finalPath = join(dir, shardFileName(options.filePrefix, index));
      return { finalPath, temporaryPath: temporaryPathFor(finalPath), encoder: undefined, rows: 0, columnEncodings: undefined, tail: Promise.resolve() };
    });
  }

  /**
   * Creates the folder if needed and checks it is writable. A folder that already holds a dataset
   * (a manifest) is refused unless `overwrite`, which removes the old manifest before anything else.
   */
  static async create(dir: string, options: DatasetWriterOptions): Promise<DatasetWriter> {
    const resolved = resolveWriterOptions(options);
    const createdDirs = await makeDirectory(dir);
    await clearExistingDataset(dir, resolved.overwrite);
    await probeWritable(dir);
    return new DatasetWriter(dir, resolved, createdDirs);
  }

  /** Shard file names, in shard order (relative to `dir`). */
  get shardFiles(): string[] {
    return this.#shards.map((_, index) => shardFileName(this.options.filePrefix, index));
  }

  /**
   * Appends `chunk` to `shard`. Every chunk must have the columns of the first one. Writes to one
   * shard are applied in call order; await each before reusing the chunk's arrays.
   */
  write(shard: number, chunk: SampleChunk): Promise<void> {
    try {
      // checked now, not in the shard's queue, so the first chunk in call order fixes the columns
      this.#expectState('open', 'write');
      if (!Number.isInteger(shard) || shard < 0 || shard >= this.#shards.length) {
        throw new RecdError(`DatasetWriter.write: expected a shard in [0, ${this.#shards.length}), got ${shard}`);
      }
      const where = `DatasetWriter.write shard ${shard}`;
      validateSampleChunk(chunk, where);
      if (this.#columns === undefined) this.#adoptColumns(chunk);
      else checkChunkColumns(this.#columns, chunk, where);
    } catch (error) {
      return Promise.reject(error);
    }
    if (chunk.length === 0) return Promise.resolve();
    const target = this.#shards[shard];
    const run = target.tail.then(() => this.#append(shard, chunk));
    target.tail = run.catch(() => {});
    return run;
  }

  /**
   * Appends rows given as stretches of other chunks (what a merge emits), as `write` would the
   * chunk they make. With the native encoder and encoder threads, a stretch list of exactly one row
   * group (starting one) is assembled in a worker thread from the source chunks, shared with it
   * in place when they lie in SharedArrayBuffers (else copied into some once); otherwise the rows
   * are assembled here. Await each call before the next: the assembled arrays are reused.
   */
  writeStretches(shard: number, stretches: ChunkStretches): Promise<void> {
    if (stretches.length === 0 || stretches.sources.length === 0) return Promise.resolve();
    const target = this.#shards[shard];
    if (this.options.pageEncoder !== 'native' || this.#pool === undefined || target?.encoder === undefined || this.#state !== 'open') {
      this.#assembler ??= new StretchAssembler(stretches.sources[0].columns);
      this.#assembler.addStretches(stretches);
      return this.write(shard, this.#assembler.take());
    }
    try {
      for (const source of stretches.sources) {
        if (this.#checked.has(source)) continue;
        const where = `DatasetWriter.writeStretches shard ${shard}`;
        validateSampleChunk(source, where);
        checkChunkColumns(this.#columns!, source, where);
        this.#checked.add(source);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    const run = target.tail.then(() => this.#appendStretches(shard, stretches));
    target.tail = run.catch(() => {});
    return run;
  }

  /**
   * Closes every shard (an unwritten shard becomes a valid empty file), verifies each file's
   * footer, renames them into place and writes the manifest last. Returns the manifest. Refused
   * fields (order, schema, session counts) leave the writer open, to finish again or abort.
   */
  finish(fields: DatasetFinishFields): Promise<DatasetManifest> {
    try {
      this.#expectState('open', 'finish');
    } catch (error) {
      return Promise.reject(error);
    }
    this.#state = 'finishing'; // no more writes from here
    const finishing = this.#finish(fields);
    this.#finishing = finishing.catch(() => {});
    return finishing;
  }

  /** Stops writing and removes every file (and folder) this writer created. */
  async abort(): Promise<void> {
    if (this.#state === 'aborted') return;
    if (this.#state === 'finished') throw new RecdError(`DatasetWriter.abort: ${this.dir} is already finished; remove it instead`);
    this.#state = 'aborted';
    await this.#finishing;
    await Promise.all(this.#shards.map((shard) => shard.encoder?.destroy()));
    await Promise.all(this.#shards.map((shard) => shard.tail));
    await this.#pool?.close();
    const files = [...this.#shards.map((shard) => shard.temporaryPath), ...this.#renamed];
    await Promise.all(files.map((file) => rm(file, { force: true }).catch(() => {})));
    for (const dir of this.#createdDirs) await rmdir(dir).catch(() => {}); // only if empty
  }

  async #finish(fields: DatasetFinishFields): Promise<DatasetManifest> {
    let columns: SampleColumnSpec[];
    let sessions: { perShard: number[]; total: number };
    try {
      if (!SAMPLE_ORDERS.includes(fields?.order)) throw new RecdError(`DatasetWriter.finish: expected order ${SAMPLE_ORDERS.join(', ')}, got ${JSON.stringify(fields?.order)}`);
      validateFeatureSchema(fields.schema);
      await Promise.all(this.#shards.map((shard) => shard.tail));
      if (this.#failure) throw this.#failure;
      if (this.#columns === undefined) throw new RecdError(`DatasetWriter.finish: no chunk was written to ${this.dir}, so the dataset has no columns`);
      columns = this.#columns;
      checkSchemaColumns(fields.schema, columns, `DatasetWriter.finish ${this.dir}`);
      const counted = this.#sessions && { perShard: this.#sessions.perShard, total: this.#sessions.total };
      sessions = resolveSessions(fields, this.#shards.length, counted, this.options.sessionColumn);
    } catch (error) {
      if (this.#state === 'finishing') this.#state = this.#failure ? 'failed' : 'open';
      throw error;
    }
    return this.#closeAndPublish(fields, columns, sessions);
  }

  #adoptColumns(chunk: SampleChunk): void {
    this.#columns = columnsOf(chunk);
    this.#arrowSchema = arrowSchemaOf(this.#columns);
    const name = this.options.sessionColumn;
    this.#sessionColumnIndex = this.#columns.findIndex((column) => column.name === name && column.type === 'int64');
    if (this.#sessionColumnIndex >= 0) this.#sessions = new SessionCounter(this.#shards.length);
  }

  async #append(index: number, chunk: SampleChunk): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (this.#aborted()) throw new RecdError(`DatasetWriter.write: ${this.dir}: the writer was aborted`);
    const shard = this.#shards[index];
    try {
      shard.encoder ??= await this.#startEncoder(shard, chunk);
      if (this.options.pageEncoder === 'native') await shard.encoder.write(chunk);
      else for (const piece of sampleChunkPieces(chunk, PIECE_BYTES)) await shard.encoder.write(piece);
      shard.rows += chunk.length;
      if (this.#sessionColumnIndex >= 0) this.#sessions!.add(index, chunk.columns[this.#sessionColumnIndex], chunk.length);
    } catch (error) {
      if (this.#aborted()) throw error;
      this.#failure ??= error instanceof RecdError ? error : new RecdError(`${shard.temporaryPath}: ${fsReason(error)}`, { cause: error });
      throw this.#failure;
    }
  }

  async #appendStretches(index: number, stretches: ChunkStretches): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (this.#aborted()) throw new RecdError(`DatasetWriter.write: ${this.dir}: the writer was aborted`);
    const shard = this.#shards[index];
    try {
      await (shard.encoder as NativeShardEncoder).writeStretches(stretches);
      shard.rows += stretches.length;
      if (this.#sessionColumnIndex >= 0) {
        for (let k = 0; k < stretches.sources.length; k++) {
          const rows = sliceSampleChunk(stretches.sources[k], stretches.from[k], stretches.to[k]);
          this.#sessions!.add(index, rows.columns[this.#sessionColumnIndex], rows.length);
        }
      }
    } catch (error) {
      if (this.#aborted()) throw error;
      this.#failure ??= error instanceof RecdError ? error : new RecdError(`${shard.temporaryPath}: ${fsReason(error)}`, { cause: error });
      throw this.#failure;
    }
  }

  /** Opens the shard's file and its encoder; `first` (the first rows written to it) decides the `trial` encodings. */
  async #startEncoder(shard: Shard, first?: SampleChunk): Promise<ShardEncoder> {
    let file;
    try {
      file = await open(shard.temporaryPath, 'wx');
    } catch (error) {
      throw new RecdError(`cannot create ${shard.temporaryPath}: ${fsReason(error)}`, { cause: error });
    }
    const columns = this.#columns!;
    try {
      const zstdLevel = recompressZstdLevel(this.options);
      // the encoding trial compresses its candidates on this thread, and so do native pages without encoder threads
      if (zstdLevel !== undefined || this.options.pageEncoder === 'native') await prepareZstd();
      const settings = await this.#shardSettings(columns, first);
      shard.columnEncodings = Object.fromEntries(columnEncodingsFor(settings, columns));
      if (this.options.pageEncoder === 'native') return new NativeShardEncoder(shard.temporaryPath, file, this.#pool, nativeShardSettings(settings, columns));
      if (this.#pool === undefined) return new InThreadShardEncoder(shard.temporaryPath, file, writerPropertiesFor(settings, columns), this.#arrowSchema!);
      const properties = recordWriterProperties((start) => writerPropertiesFor(settings, columns, start));
      return new WorkerShardEncoder(shard.temporaryPath, file, this.#pool, properties, this.options.rowGroupSize, this.#arrowSchema!, zstdLevel);
    } catch (error) {
      // No encoder owns the file yet (e.g. a column encoding that does not fit its column), so
      // abort would not reach it: close and remove it here.
      await file.close().catch(() => {});
      await rm(shard.temporaryPath, { force: true }).catch(() => {});
      throw error;
    }
  }

  /** The writer's settings with the `trial` columns' encodings chosen on `first` (left to the defaults without rows). */
  async #shardSettings(columns: readonly SampleColumnSpec[], first: SampleChunk | undefined): Promise<ParquetSettings> {
    const { trialColumns } = this.options;
    if (trialColumns.length === 0) return this.options;
    for (const name of trialColumns) {
      const column = columns.find((c) => c.name === name);
      if (!column) throw new RecdError(`columnEncodings: no column ${JSON.stringify(name)} in the samples`);
      if (column.type === 'list<int64>') throw new RecdError(`columnEncodings.${name}: trial does not apply to list<int64> columns`);
    }
    if (first === undefined || first.length === 0) return this.options;
    // native: in an encoder thread (warm: it warmed up, or was prestarted), with only the trial columns' first row group copied there
    const trial =
      this.options.pageEncoder === 'native' && this.#pool
        ? await this.#pool.trialNative(trialSample(first, trialColumns, this.options.rowGroupSize), trialColumns, nativeTrialSettings(this.options))
        : chooseEncodingsByTrial(first, trialColumns, this.options);
    const chosen = trial.map(({ name, chosen }) => [name, chosen]);
    return { ...this.options, columnEncodings: { ...this.options.columnEncodings, ...Object.fromEntries(chosen) } };
  }

  async #closeAndPublish(fields: DatasetFinishFields, columns: SampleColumnSpec[], sessions: { perShard: number[]; total: number }): Promise<DatasetManifest> {
    try {
      await Promise.all(this.#shards.map((shard) => this.#closeShard(shard)));
      await this.#pool?.close();
      const shardInfos = await Promise.all(this.#shards.map((shard, index) => this.#verifyShard(shard, index, sessions.perShard[index])));
      for (const shard of this.#shards) {
        await rename(shard.temporaryPath, shard.finalPath).catch((error) => {
          throw new RecdError(`cannot rename ${shard.temporaryPath} to ${shard.finalPath}: ${fsReason(error)}`, { cause: error });
        });
        this.#renamed.push(shard.finalPath);
      }
      await syncDirectory(this.dir);
      const manifest = this.#manifest(fields, columns, sessions.total, shardInfos);
      if (this.#state !== 'finishing') throw new RecdError(`DatasetWriter.finish: ${this.dir}: aborted while finishing`);
      await writeFileAtomic(join(this.dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
      await syncDirectory(this.dir);
      this.#state = 'finished';
      return manifest;
    } catch (error) {
      if (this.#state === 'finishing') this.#state = 'failed';
      throw error;
    }
  }

  async #closeShard(shard: Shard): Promise<void> {
    if (shard.encoder === undefined) {
      // parquet-wasm takes the schema from the first batch, so an empty file needs a zero-row one
      shard.encoder = await this.#startEncoder(shard);
      await shard.encoder.write(emptyChunk(this.#columns!));
    }
    await shard.encoder.close();
  }

  async #verifyShard(shard: Shard, index: number, sessions: number): Promise<ShardInfo> {
    const layout = await readParquetLayout(shard.temporaryPath);
    if (layout.rows !== shard.rows) {
      throw new RecdError(`${shard.temporaryPath}: expected ${shard.rows} rows written, the file has ${layout.rows} (parquet-wasm dropped a batch)`);
    }
    const { size } = await stat(shard.temporaryPath);
    const info: ShardInfo = { file: shardFileName(this.options.filePrefix, index), rows: shard.rows, bytes: size, sessions, rowGroups: layout.rowGroupRows.length };
    if (shard.columnEncodings !== undefined) info.columnEncodings = shard.columnEncodings;
    return info;
  }

  #manifest(fields: DatasetFinishFields, columns: SampleColumnSpec[], sessions: number, shards: ShardInfo[]): DatasetManifest {
    const { codec, rowGroupSize, dataPageSizeBytes } = this.options;
    const manifest: DatasetManifest = {
      format: MANIFEST_FORMAT,
      version: MANIFEST_VERSION,
      createdBy: fields.createdBy ?? '@recd/datagen',
      createdAt: new Date().toISOString(),
      rows: shards.reduce((sum, shard) => sum + shard.rows, 0),
      sessions,
      order: fields.order,
      codec,
      rowGroupSize,
      dataPageSizeBytes,
      shards,
      columns: columns.map(({ name, type }) => ({ name, type })),
      schema: fields.schema,
    };
    if (codec === 'zstd') manifest.zstdLevel = this.options.zstdLevel;
    if (fields.shardOf !== undefined) manifest.shardOf = fields.shardOf;
    if (fields.source !== undefined) manifest.source = fields.source;
    if (fields.rejects !== undefined) manifest.rejects = fields.rejects;
    return manifest;
  }

  /** A method, not a field test, so TypeScript does not narrow the state across awaits. */
  #aborted(): boolean {
    return this.#state === 'aborted';
  }

  #expectState(expected: State, action: string): void {
    if (this.#state !== expected) throw new RecdError(`DatasetWriter.${action}: ${this.dir}: the writer is ${this.#state}`);
  }
}

/** The first `rows` rows of the `names` columns of `chunk`. */
function trialSample(chunk: SampleChunk, names: readonly string[], rows: number): SampleChunk {
  const sliced = sliceSampleChunk(chunk, 0, Math.min(chunk.length, rows));
  return { length: sliced.length, columns: sliced.columns.filter((column) => names.includes(column.name)) };
}

export function shardFileName(prefix: string, index: number): string {
  return `${prefix}-${String(index).padStart(5, '0')}.parquet`;
}


/** Creates and removes a file, so an unwritable folder fails now and not after the samples are made. */
async function probeWritable(dir: string): Promise<void> {
  const probe = temporaryPathFor(join(dir, 'write-probe'));
  try {
    await (await open(probe, 'wx')).close();
    await rm(probe);
  } catch (error) {
    throw new RecdError(`cannot write to the dataset folder ${dir}: ${fsReason(error)}`, { cause: error });
  }
}
