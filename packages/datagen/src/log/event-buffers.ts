import type { EventTable } from './events';
import { tableArrays } from './partitioner';

/** The distinct buffers under an event table's columns: the transfer list that hands it to another thread. */
export function eventTableBuffers(table: EventTable): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const array of tableArrays(table)) if (array.buffer instanceof ArrayBuffer && array.buffer.byteLength > 0) buffers.add(array.buffer);
  return [...buffers];
}
