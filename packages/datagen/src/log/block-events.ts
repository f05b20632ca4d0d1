/**
 * Event extraction one block of log rows at a time, each block on its own (in a worker thread or
 * in this one), and the bookkeeping that makes the blocks, taken in file order, the same as one
 * EventExtractor reading them all: event order numbers continue from the events before, rejects
 * and ignored rows add up in order.
 */
import { InputError, formatLocation } from '@recd/core/dist/errors';
import type { InputLocation } from '@recd/core/dist/errors';
import { CsvChunk } from '../csv/chunk';
import { CsvFastExtractor } from './csv-fast-extract';
import { EventExtractor, RejectedEvent } from './extract-events';
import { EventTable, EventTableBuilder } from './events';
import type { LogRows } from './log-rows';
import type { LogSchema } from './log-schema';
import { eventPartitions } from './partitioner';

/** The events of one block: `order` counts from 0 within the block (see {@link rebaseOrder}). */
export interface BlockEvents {
  table: EventTable;
  /** Each event's partition (eventPartitions), when the extractor was asked for them. */
  partitionOf?: Int32Array;
  /** Rows dropped on purpose (`event.ignore`). */
  ignored: number;
  /** Rows rejected under `skip`, all of them, in row order. */
  rejected: RejectedEvent[];
}

/** Extracts blocks independently of one another (the state it keeps across blocks is only caches). */
export class BlockExtractor {
  readonly #extractor: EventExtractor;
  readonly #numDense: number;
  readonly #numCategorical: number;
  /** The CSV fast path (undefined: every block through EventExtractor). */
  readonly #fast: CsvFastExtractor | undefined;

  constructor(schema: LogSchema, onError: 'stop' | 'skip', options: { fast?: boolean } = {}) {
    this.#extractor = new EventExtractor(schema, { onError, maxKeptRejects: Infinity });
    this.#fast = options.fast === false ? undefined : CsvFastExtractor.for(schema);
    this.#numDense = schema.dense?.length ?? 0;
    this.#numCategorical = schema.categorical?.length ?? 0;
  }

  /** The events of `rows` (and their partitions among `partitions`); throws the InputError the extractor throws (stop mode). */
  extract(rows: LogRows, partitions?: number): BlockEvents {
    const extractor = this.#extractor;
    const ignoredBefore = extractor.ignored;
    const builder = (): EventTableBuilder => new EventTableBuilder(this.#numDense, this.#numCategorical, Math.max(1, rows.rowCount));
    let out = builder();
    try {
      const fast = rows instanceof CsvChunk ? this.#fast : undefined;
      const fastIgnored = fast?.extract(rows as CsvChunk, out);
      if (fastIgnored !== undefined) extractor.ignored += fastIgnored;
      else {
        if (fast) out = builder(); // what the fast path left is garbage
        extractor.extract(rows, out);
      }
      const table = out.view();
      for (let i = 0; i < table.length; i++) table.order[i] = i;
      const partitionOf = partitions === undefined ? undefined : eventPartitions(table, partitions);
      return { table, partitionOf, ignored: extractor.ignored - ignoredBefore, rejected: extractor.rejected.splice(0) };
    } finally {
      extractor.rejected.length = 0;
      extractor.ignored = ignoredBefore;
    }
  }
}

/** Numbers a block's events from `first` (the events before it), as one extractor would have. */
export function rebaseOrder(table: EventTable, first: number): void {
  const order = table.order;
  for (let i = 0; i < table.length; i++) order[i] += first;
}

/** An InputError as it crosses a thread boundary (its class does not survive the copy). */
export interface PlainInputError {
  location: InputLocation;
  problem: string;
}

export function plainInputError(error: InputError): PlainInputError {
  const prefix = `${formatLocation(error.location)}: `;
  return { location: { ...error.location }, problem: error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message };
}

export function inputErrorOf(plain: PlainInputError): InputError {
  return new InputError(plain.location, plain.problem);
}
