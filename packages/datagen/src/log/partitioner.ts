import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EventTable } from './events';
import { EventTableBuilder } from './events';
import { hashInt64 } from '../samples/int64-words';
import { SpillArray, SpillReader, writeBlock } from '../samples/spill';

/**
 * Splits events into partitions by a hash of the user (or, for anonymous events, the session),
 * so every session and every user's history lies in one partition. Partitions live in memory
 * until their total passes `budgetBytes`; then all of them are appended to spill files and
 * memory is freed. `take(p)` gives one partition back whole.
 */
export class EventPartitioner {
  readonly partitions: number;
  readonly #builders: EventTableBuilder[];
  readonly #spillPaths: (string | undefined)[];
  readonly #tmpDir: string;
  readonly #budgetBytes: number;
  readonly #numDense: number;
  readonly #numCategorical: number;
  spilledBytes = 0;
  spills = 0;
  /** Append event by event (the plain twin of the column-wise scatter, for tests). */
  readonly #naive: boolean;
  #partition = new Int32Array(0);
  #place = new Int32Array(0);

  constructor(options: { partitions: number; numDense: number; numCategorical: number; tmpDir: string; budgetBytes: number; naive?: boolean }) {
    this.partitions = options.partitions;
    this.#naive = options.naive ?? false;
    this.#numDense = options.numDense;
    this.#numCategorical = options.numCategorical;
    this.#tmpDir = options.tmpDir;
    this.#budgetBytes = options.budgetBytes;
    this.#builders = Array.from({ length: this.partitions }, () => new EventTableBuilder(options.numDense, options.numCategorical, 256));
    this.#spillPaths = new Array(this.partitions).fill(undefined);
  }

  /**
   * Distributes the events of `table` (copies them). `partitionOf`, when given, holds each
   * event's partition as {@link eventPartitions} finds it (e.g. in the thread that extracted them).
   */
  add(table: EventTable, partitionOf?: Int32Array): void {
    const n = table.length;
    const userWords = new Int32Array(table.user.buffer, table.user.byteOffset, 2 * n);
    const sessionWords = new Int32Array(table.session.buffer, table.session.byteOffset, 2 * n);
    const source: TableWords = {
      table,
      session: sessionWords,
      user: userWords,
      item: wordsOf(table.item),
      category: wordsOf(table.category),
      categorical: table.categorical.map(wordsOf),
    };
    const P = this.partitions;
    if (this.#naive) {
      for (let i = 0; i < n; i++) appendRow(this.#builders[this.#partitionOf(source, i)], source, i);
    } else {
      // each event's partition and place in it first, then the columns one by one
      if (this.#place.length < n) {
        this.#place = new Int32Array(n);
        this.#partition = new Int32Array(n);
      }
      const place = this.#place;
      const partition = this.#partition;
      const counts = new Int32Array(P);
      if (partitionOf) {
        partition.set(partitionOf.subarray(0, n));
        for (let i = 0; i < n; i++) counts[partition[i]]++;
      } else {
        for (let i = 0; i < n; i++) {
          const p = this.#partitionOf(source, i);
          partition[i] = p;
          counts[p]++;
        }
      }
      const next = counts; // becomes each partition's next free row
      for (let p = 0; p < P; p++) {
        const builder = this.#builders[p];
        if (counts[p] > 0) builder.reserve(counts[p]); // the capacity appending one by one would reach
        next[p] = builder.length;
      }
      for (let i = 0; i < n; i++) place[i] = next[partition[i]]++;
      scatterRows(this.#builders, source, partition, place, n);
      for (let p = 0; p < P; p++) this.#builders[p].length = next[p];
    }
    if (this.memoryBytes > this.#budgetBytes) this.spill();
  }

  #partitionOf(source: TableWords, i: number): number {
    return partitionOfEvent(source.table.userKnown, source.user, source.session, i, this.partitions);
  }

  get memoryBytes(): number {
    let total = 0;
    for (const builder of this.#builders) total += builder.byteLength;
    return total;
  }

  /** Appends every partition's in-memory events to its spill file and frees the memory. */
  spill(): void {
    this.spills++;
    for (let p = 0; p < this.partitions; p++) {
      const builder = this.#builders[p];
      if (builder.length === 0) continue;
      const file = (this.#spillPaths[p] ??= path.join(this.#tmpDir, `events-${p}.bin`));
      const fd = fs.openSync(file, 'a');
      try {
        this.spilledBytes += writeBlock(fd, tableArrays(builder.view()));
      } finally {
        fs.closeSync(fd);
      }
      this.#builders[p] = new EventTableBuilder(this.#numDense, this.#numCategorical, 256);
    }
  }

  /** All events of partition `p` (spilled blocks first, in the order they were added); frees them here. */
  take(p: number): EventTable {
    const file = this.#spillPaths[p];
    const memory = this.#builders[p];
    if (!file) {
      this.#builders[p] = new EventTableBuilder(this.#numDense, this.#numCategorical, 1);
      return memory.view();
    }
    const all = new EventTableBuilder(this.#numDense, this.#numCategorical, 256);
    const reader = new SpillReader(file);
    try {
      for (let arrays = reader.next(); arrays; arrays = reader.next()) all.append(tableFromArrays(arrays, this.#numDense, this.#numCategorical));
    } finally {
      reader.close();
    }
    fs.rmSync(file, { force: true });
    this.#spillPaths[p] = undefined;
    all.append(memory.view());
    this.#builders[p] = new EventTableBuilder(this.#numDense, this.#numCategorical, 1);
    return all.view();
  }
}

/** The partition of event i: a hash of its user, or of its session for an anonymous event. */
function partitionOfEvent(userKnown: Uint8Array, userWords: Int32Array, sessionWords: Int32Array, i: number, partitions: number): number {
  const hash = userKnown[i] === 1 ? hashInt64(userWords, i, 0x75736572) : hashInt64(sessionWords, i, 0x73657373);
  return hash % partitions;
}

/** Each event's partition among `partitions`, as EventPartitioner.add finds it. */
export function eventPartitions(table: EventTable, partitions: number): Int32Array {
  const userWords = wordsOf(table.user);
  const sessionWords = wordsOf(table.session);
  const out = new Int32Array(table.length);
  for (let i = 0; i < table.length; i++) out[i] = partitionOfEvent(table.userKnown, userWords, sessionWords, i, partitions);
  return out;
}

interface TableWords {
  table: EventTable;
  session: Int32Array;
  user: Int32Array;
  item: Int32Array;
  category: Int32Array;
  categorical: Int32Array[];
}

function wordsOf(values: BigInt64Array): Int32Array {
  return new Int32Array(values.buffer, values.byteOffset, 2 * values.length);
}

/** Copies event i through word views (no BigInt per id). */
function appendRow(builder: EventTableBuilder, source: TableWords, i: number): void {
  builder.reserve(1);
  const at = builder.length++;
  const table = source.table;
  copyWords(source.session, builder.sessionWords, i, at);
  copyWords(source.user, builder.userWords, i, at);
  copyWords(source.item, builder.itemWords, i, at);
  copyWords(source.category, builder.categoryWords, i, at);
  builder.userKnown[at] = table.userKnown[i];
  builder.time[at] = table.time[i];
  builder.label[at] = table.label[i];
  builder.order[at] = table.order[i];
  for (let d = 0; d < table.dense.length; d++) builder.dense[d][at] = table.dense[d][i];
  for (let c = 0; c < source.categorical.length; c++) copyWords(source.categorical[c], builder.categoricalWords[c], i, at);
}

/** Copies each event i of `source` to row `place[i]` of builder `partition[i]` (rows reserved), column by column. */
function scatterRows(builders: EventTableBuilder[], source: TableWords, partition: Int32Array, place: Int32Array, n: number): void {
  const table = source.table;
  scatterWords(builders.map((builder) => builder.sessionWords), source.session, partition, place, n);
  scatterWords(builders.map((builder) => builder.userWords), source.user, partition, place, n);
  scatterWords(builders.map((builder) => builder.itemWords), source.item, partition, place, n);
  scatterWords(builders.map((builder) => builder.categoryWords), source.category, partition, place, n);
  scatterValues(builders.map((builder) => builder.userKnown), table.userKnown, partition, place, n);
  scatterValues(builders.map((builder) => builder.time), table.time, partition, place, n);
  scatterValues(builders.map((builder) => builder.label), table.label, partition, place, n);
  scatterValues(builders.map((builder) => builder.order), table.order, partition, place, n);
  table.dense.forEach((column, d) => scatterValues(builders.map((builder) => builder.dense[d]), column, partition, place, n));
  source.categorical.forEach((words, c) => scatterWords(builders.map((builder) => builder.categoricalWords[c]), words, partition, place, n));
}

function scatterWords(targets: Int32Array[], from: Int32Array, partition: Int32Array, place: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const target = targets[partition[i]];
    const at = 2 * place[i];
    target[at] = from[2 * i];
    target[at + 1] = from[2 * i + 1];
  }
}

function scatterValues<T extends Float64Array | Float32Array | Uint8Array>(targets: T[], from: T, partition: Int32Array, place: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) targets[partition[i]][place[i]] = from[i];
}

function copyWords(from: Int32Array, to: Int32Array, i: number, at: number): void {
  to[2 * at] = from[2 * i];
  to[2 * at + 1] = from[2 * i + 1];
}

/** The columns of an event table, in the order spill blocks store them. */
export function tableArrays(table: EventTable): SpillArray[] {
  return [table.session, table.user, table.userKnown, table.item, table.category, table.time, table.label, table.order, ...table.dense, ...table.categorical];
}

function tableFromArrays(arrays: SpillArray[], numDense: number, numCategorical: number): EventTable {
  const [session, user, userKnown, item, category, time, label, order] = arrays;
  return {
    length: (time as Float64Array).length,
    session: session as BigInt64Array,
    user: user as BigInt64Array,
    userKnown: userKnown as Uint8Array,
    item: item as BigInt64Array,
    category: category as BigInt64Array,
    time: time as Float64Array,
    label: label as Float32Array,
    order: order as Float64Array,
    dense: arrays.slice(8, 8 + numDense) as Float32Array[],
    categorical: arrays.slice(8 + numDense, 8 + numDense + numCategorical) as BigInt64Array[],
  };
}
