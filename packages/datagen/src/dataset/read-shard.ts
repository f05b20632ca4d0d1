import { stat } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { Schema, tableFromIPC } from 'apache-arrow';
import { InputError, RecdError } from '@recd/core';
import { AsyncQueue } from './async-queue';
import { fsReason } from './atomic-files';
import type { SampleChunk } from './sample-chunk';
import { sampleChunkFromArrow, sampleTypeOf } from './sample-chunk-arrow';
import { SHARD_READ_WORKER_SOURCE, WorkerMessage, WorkerRequest } from './shard-read-worker';

export interface ReadShardOptions {
  /** Columns to read, in the order the chunks hold them (default: all, in file order). */
  columns?: readonly string[];
  /** Rows per chunk at most (default 65536); a chunk never spans two row groups. */
  batchSize?: number;
  /** Row groups to read, in this order (default: all). */
  rowGroups?: readonly number[];
}

/**
 * Streams a Parquet shard as SampleChunks, row group by row group, without loading the file:
 * a worker thread decodes one row group while the caller consumes the previous one, so memory is
 * about two decoded row groups. Chunks are views of the decoded bytes (no copy after the one out
 * of wasm memory). Works on any Parquet file whose columns are float32, int64 or list<int64>
 * without nulls (DuckDB's too).
 *
 * Errors name the file, and the row group when the failure is in one: a missing, truncated or
 * non-Parquet file, an unknown column, a column of another type, a corrupt page.
 */
export async function* readShardChunks(path: string, options: ReadShardOptions = {}): AsyncGenerator<SampleChunk, void, undefined> {
  const batchSize = options.batchSize ?? 65536;
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RecdError(`readShardChunks: expected batchSize to be a positive integer, got ${batchSize}`);
  const columns = options.columns === undefined ? undefined : [...options.columns];
  if (columns !== undefined && (columns.length === 0 || new Set(columns).size !== columns.length)) {
    throw new RecdError(`readShardChunks ${path}: expected at least one column and no name twice, got ${JSON.stringify(columns)}`);
  }
  await stat(path).catch((error) => {
    throw new InputError({ file: path }, `cannot read: ${fsReason(error)}`, { cause: error });
  });
  const reader = new ShardWorker(path);
  try {
    const opened = await reader.open();
    const fileColumns = opened.schema.fields.map((field) => field.name);
    for (const field of opened.schema.fields) {
      if ((columns ?? fileColumns).includes(field.name) && sampleTypeOf(field.type) === undefined) {
        throw new InputError({ file: path, field: field.name }, `expected a float32, int64 or list<int64> column, got ${field.type}`);
      }
    }
    for (const name of columns ?? []) {
      if (!fileColumns.includes(name)) throw new InputError({ file: path, field: name }, `no such column; the file has ${fileColumns.join(', ')}`);
    }
    const count = opened.rowGroupRows.length;
    const rowGroups = options.rowGroups === undefined ? Array.from({ length: count }, (_, i) => i) : [...options.rowGroups];
    for (const rowGroup of rowGroups) {
      if (!Number.isInteger(rowGroup) || rowGroup < 0 || rowGroup >= count) {
        throw new RecdError(`readShardChunks ${path}: expected row groups in [0, ${count}), got ${rowGroup}`);
      }
    }
    if (rowGroups.length > 0) reader.request(rowGroups[0], batchSize, columns);
    for (let k = 0; k < rowGroups.length; k++) {
      let first = true;
      for (;;) {
        const message = await reader.next();
        if (first && k + 1 < rowGroups.length) reader.request(rowGroups[k + 1], batchSize, columns); // decode ahead
        first = false;
        if (message.type === 'done') break;
        if (message.type !== 'batch') throw new RecdError(`readShardChunks ${path}: unexpected ${message.type} from the reader worker`);
        const where = `${path} row group ${message.rowGroup}`;
        for (const batch of tableFromIPC(message.ipc).batches) {
          const chunk = sampleChunkFromArrow(batch, where);
          yield columns === undefined ? chunk : reorder(chunk, columns);
        }
      }
    }
  } finally {
    await reader.close();
  }
}

function reorder(chunk: SampleChunk, names: readonly string[]): SampleChunk {
  const byName = new Map(chunk.columns.map((column) => [column.name, column]));
  return { length: chunk.length, columns: names.map((name) => byName.get(name)!) };
}

/** The main-thread side of one reader worker: requests, the message queue, errors with context. */
class ShardWorker {
  readonly #path: string;
  readonly #worker: Worker;
  readonly #messages = new AsyncQueue<WorkerMessage>();
  /** Row groups requested and not yet done, oldest first: a failure is in the first. */
  readonly #pending: number[] = [];
  #closed = false;

  constructor(path: string) {
    this.#path = path;
    this.#worker = new Worker(SHARD_READ_WORKER_SOURCE, { eval: true, workerData: { parquetWasm: require.resolve('parquet-wasm/node') } });
    this.#worker.unref(); // referenced only while the consumer waits, so an abandoned iterator does not keep the process alive
    this.#worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'error') this.#messages.fail(this.#error(message.message));
      else {
        if (message.type === 'done') this.#pending.shift();
        this.#messages.push(message);
      }
    });
    // An uncaught error (a decoder abort) arrives on another channel than the messages, possibly
    // before the 'done' of the row group ahead of it; 'exit' comes after every message, so the
    // failure is reported there, against the row group then pending.
    let crash: Error | undefined;
    this.#worker.on('error', (error) => (crash ??= error));
    this.#worker.on('exit', (code) => {
      if (this.#closed) return;
      this.#messages.fail(
        crash === undefined ? this.#error(`the reader worker exited (code ${code})`) : this.#error(`corrupt Parquet data, the decoder aborted (${crash.message})`, crash),
      );
    });
  }

  async open(): Promise<{ rowGroupRows: number[]; schema: Schema }> {
    this.#send({ type: 'open', path: this.#path });
    const message = await this.next();
    if (message.type !== 'opened') throw new RecdError(`readShardChunks ${this.#path}: unexpected ${message.type} from the reader worker`);
    return { rowGroupRows: message.rowGroupRows, schema: tableFromIPC(message.schemaIpc).schema };
  }

  request(rowGroup: number, batchSize: number, columns: string[] | undefined): void {
    this.#pending.push(rowGroup);
    this.#send({ type: 'read', rowGroup, batchSize, columns });
  }

  async next(): Promise<WorkerMessage> {
    this.#worker.ref();
    try {
      return await this.#messages.next();
    } finally {
      this.#worker.unref();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#worker.terminate();
  }

  #send(request: WorkerRequest): void {
    this.#worker.postMessage(request);
  }

  #error(problem: string, cause?: unknown): InputError {
    const rowGroup = this.#pending[0];
    const text = rowGroup === undefined ? `not a readable Parquet file (truncated or corrupt?): ${problem}` : `row group ${rowGroup}: ${problem}`;
    return new InputError({ file: this.#path }, text, cause === undefined ? undefined : { cause });
  }
}
