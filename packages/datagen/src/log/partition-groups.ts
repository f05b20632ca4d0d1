/**
 * A block's events regrouped by partition (a stable counting sort on EventPartitioner's hash), so
 * the thread that partitions copies ranges (EventPartitioner.addGrouped) where it would scatter
 * event by event; the work moves to the thread that extracted the block.
 */
import { EventTable, EventTableBuilder } from './events';
import { partitionOfEvent } from './partitioner';

export interface PartitionGroups {
  /** The events, those of partition p at rows `starts[p] .. starts[p + 1]`, each group in log order. */
  table: EventTable;
  starts: Int32Array;
}

export function groupByPartition(table: EventTable, partitions: number): PartitionGroups {
  const n = table.length;
  const userWords = wordsOf(table.user);
  const sessionWords = wordsOf(table.session);
  const partition = new Int32Array(n);
  const starts = new Int32Array(partitions + 1);
  for (let i = 0; i < n; i++) {
    const p = partitionOfEvent(table.userKnown, userWords, sessionWords, i, partitions);
    partition[i] = p;
    starts[p + 1]++;
  }
  for (let p = 0; p < partitions; p++) starts[p + 1] += starts[p];
  const next = starts.slice(0, partitions);
  const place = partition; // each event's row in the grouped table, overwriting its partition
  for (let i = 0; i < n; i++) place[i] = next[partition[i]]++;
  const out = new EventTableBuilder(table.dense.length, table.categorical.length, Math.max(1, n));
  out.length = n;
  permuteWords(sessionWords, out.sessionWords, place, n);
  permuteWords(userWords, out.userWords, place, n);
  permuteWords(wordsOf(table.item), out.itemWords, place, n);
  permuteWords(wordsOf(table.category), out.categoryWords, place, n);
  permute(table.userKnown, out.userKnown, place, n);
  permute(table.time, out.time, place, n);
  permute(table.label, out.label, place, n);
  permute(table.order, out.order, place, n);
  table.dense.forEach((column, d) => permute(column, out.dense[d], place, n));
  table.categorical.forEach((column, c) => permuteWords(wordsOf(column), out.categoricalWords[c], place, n));
  return { table: out.view(), starts };
}

function wordsOf(values: BigInt64Array): Int32Array {
  return new Int32Array(values.buffer, values.byteOffset, 2 * values.length);
}

function permuteWords(from: Int32Array, to: Int32Array, place: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const at = 2 * place[i];
    to[at] = from[2 * i];
    to[at + 1] = from[2 * i + 1];
  }
}

function permute<T extends Float64Array | Float32Array | Uint8Array>(from: T, to: T, place: Int32Array, n: number): void {
  for (let i = 0; i < n; i++) to[place[i]] = from[i];
}
