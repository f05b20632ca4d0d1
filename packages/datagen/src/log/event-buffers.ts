import type { EventTable } from './events';
import { tableArrays } from './partitioner';

/** The distinct buffers under an event table's columns (and `others`): the transfer list that hands them to another thread. */
export function eventTableBuffers(table: EventTable, ...others: ArrayBufferView[]): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const array of [...tableArrays(table), ...others]) if (array.buffer instanceof ArrayBuffer && array.buffer.byteLength > 0) buffers.add(array.buffer);
  return [...buffers];
}
