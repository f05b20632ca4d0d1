/**
 * Log files to events, block by block in file order: the read phase of sample generation. In
 * this thread only (`threads: 0`, the plain twin), or with worker threads that extract the events
 * of CSV chunks while this thread reads and scans the next chunks and takes the events of those
 * done (extract-pool.ts). Either way the sink sees the same tables in the same order, and the
 * extractor ends with the same rejects, ignored count and errors.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { InputError } from '@recd/core';
import type { CsvChunk } from '../csv/chunk';
import { BlockEvents, BlockExtractor, rebaseOrder } from './block-events';
import { EventTable, EventTableBuilder } from './events';
import { EventExtractor } from './extract-events';
import { ExtractPool } from './extract-pool';
import type { LogRows } from './log-rows';
import type { LogSchema } from './log-schema';
import { LogBlock, csvRejects, logFormatOf, openCsvLog, readLog } from './read-log';
import { withAliases } from './renamed-rows';

export interface ReadEventsOptions {
  onError?: 'stop' | 'skip';
  /** Worker threads that extract CSV chunks' events (0: everything in this thread). Default 0. */
  threads?: number;
  /** The sink's partitions (EventPartitioner): a worker finds its events' partitions for the sink. */
  partitions?: number;
  /** Bytes per CSV chunk (CsvReadOptions.chunkBytes; default 1 MiB): the blocks' size. */
  chunkBytes?: number;
}

/**
 * Takes each block's events, in file order, with each event's partition when a worker found them
 * (`partitions`); the arrays are valid only during the call.
 */
export type EventSink = (table: EventTable, file: string, partitionOf?: Int32Array) => void;

/** Chunks a worker holds at once: one it extracts and two waiting, so it does not run dry while this thread scans and extracts a chunk itself. */
const CHUNKS_PER_WORKER = 3;
/** Blocks extracted here ahead of the oldest one still out, so this thread need not wait for it. */
const AHEAD = 4;

/** Below this much input, starting a worker costs more than it saves. */
const MIN_THREADED_BYTES = 8 << 20;

/** The default `threads`: one where there is a second core, the compiled worker, and enough input. */
export function defaultReadThreads(inputBytes: number): number {
  return inputBytes >= MIN_THREADED_BYTES && os.availableParallelism() > 1 && ExtractPool.available() ? 1 : 0;
}

/** Reads `inputs` in order into `sink`; rejects and ignored rows are recorded in `extractor`. */
export async function readEvents(inputs: readonly string[], schema: LogSchema, extractor: EventExtractor, options: ReadEventsOptions, sink: EventSink): Promise<void> {
  const threads = options.threads ?? 0;
  if (!(Number.isInteger(threads) && threads >= 0)) throw new RangeError(`expected read threads >= 0, got ${threads}`);
  if (threads === 0) await readInThread(inputs, schema, extractor, options, sink);
  else await readWithPool(inputs, schema, extractor, { ...options, onError: options.onError ?? 'stop', threads }, sink);
}

/** The plain twin: one extractor, block after block. */
async function readInThread(inputs: readonly string[], schema: LogSchema, extractor: EventExtractor, { onError, chunkBytes }: ReadEventsOptions, sink: EventSink): Promise<void> {
  const staging = new EventTableBuilder(schema.dense?.length ?? 0, schema.categorical?.length ?? 0, 65536);
  for (const file of inputs) {
    for await (const block of readLog(file, schema, { onError, chunkBytes })) {
      extractor.addReaderRejects(block.rejected, file);
      staging.clear();
      extractor.extract(block.rows, staging);
      sink(staging.view(), file);
    }
  }
}

interface Pending {
  file: string;
  readerRejects: LogBlock['rejected'];
  events: Promise<BlockEvents>;
  settled: boolean;
}

/**
 * This thread reads and scans; a CSV chunk's events are extracted by a worker when one has room,
 * else here (so neither thread waits long), and taken in file order. A failure is reported as one
 * thread would: the blocks before it are taken first, so an earlier malformed row wins.
 */
async function readWithPool(
  inputs: readonly string[],
  schema: LogSchema,
  extractor: EventExtractor,
  { onError, threads, partitions, chunkBytes }: ReadEventsOptions & { onError: 'stop' | 'skip'; threads: number },
  sink: EventSink,
): Promise<void> {
  const pool = new ExtractPool(threads, schema, onError, partitions);
  const here = new BlockExtractor(schema, onError);
  const pending: Pending[] = [];
  let taken = 0;
  const takeOldest = async (): Promise<void> => {
    const { file, readerRejects, events } = pending.shift()!;
    const block = await events;
    extractor.addReaderRejects(readerRejects, file);
    extractor.addRejected(block.rejected);
    extractor.ignored += block.ignored;
    rebaseOrder(block.table, taken);
    taken += block.table.length;
    sink(block.table, file, block.partitionOf);
  };
  const extractHere = (rows: LogRows): Promise<BlockEvents> => {
    try {
      return Promise.resolve(here.extract(rows));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  try {
    for (const file of inputs) {
      const blocks = blocksOf(file, schema, onError, chunkBytes);
      try {
        for (;;) {
          let next: IteratorResult<{ chunk?: CsvChunk; rows: LogRows; rejected: LogBlock['rejected'] }>;
          try {
            next = await blocks.next();
          } catch (error) {
            // a reading error comes after the blocks before it, malformed rows included
            while (pending.length > 0) await takeOldest();
            throw error;
          }
          if (next.done) break;
          const { chunk, rows, rejected } = next.value;
          while (pending.length > 0 && pending[0].settled) await takeOldest();
          const events = chunk !== undefined && pool.outstanding < threads * CHUNKS_PER_WORKER ? pool.extract(chunk) : extractHere(rows);
          const entry: Pending = { file, readerRejects: rejected, events, settled: false };
          const settle = (): void => void (entry.settled = true);
          events.then(settle, settle); // a failure is observed when its turn comes
          pending.push(entry);
          while (pending.length > threads * CHUNKS_PER_WORKER + AHEAD) await takeOldest();
        }
      } finally {
        await blocks.return(undefined);
      }
    }
    while (pending.length > 0) await takeOldest();
  } finally {
    pending.length = 0;
    await pool.close();
  }
}

/** A file's blocks: CSV chunks (which a worker can take), or rows of the other formats. */
async function* blocksOf(file: string, schema: LogSchema, onError: 'stop' | 'skip', chunkBytes: number | undefined): AsyncGenerator<{ chunk?: CsvChunk; rows: LogRows; rejected: LogBlock['rejected'] }> {
  if (logFormatOf(file) !== 'csv') {
    for await (const block of readLog(file, schema, { onError, chunkBytes })) yield { rows: block.rows, rejected: block.rejected };
    return;
  }
  if (!fs.existsSync(file)) throw new InputError({ file }, 'no such file');
  for await (const chunk of openCsvLog(file, schema, onError, chunkBytes)) yield { chunk, rows: withAliases(chunk, schema), rejected: csvRejects(chunk) };
}
