import type { SampleChunk, SampleColumn } from './sample-chunk';

/** Whether every array of the chunk lies in a SharedArrayBuffer (so other threads can read it in place). */
export function isSharedChunk(chunk: SampleChunk): boolean {
  return chunk.columns.every((column) => column.values.buffer instanceof SharedArrayBuffer && (column.type !== 'list<int64>' || column.offsets.buffer instanceof SharedArrayBuffer));
}

/** The chunk with each array copied into a SharedArrayBuffer. */
export function toSharedChunk(chunk: SampleChunk): SampleChunk {
  return {
    length: chunk.length,
    columns: chunk.columns.map((column): SampleColumn => {
      if (column.type === 'list<int64>') return { ...column, offsets: sharedCopy(column.offsets), values: sharedCopy(column.values) };
      return { ...column, values: sharedCopy(column.values as Float32Array & BigInt64Array) } as SampleColumn;
    }),
  };
}

function sharedCopy<T extends Float32Array | BigInt64Array | Int32Array>(array: T): T {
  const Type = array.constructor as { new (buffer: SharedArrayBuffer): T };
  const copy = new Type(new SharedArrayBuffer(array.byteLength));
  (copy as Float32Array).set(array as unknown as Float32Array);
  return copy;
}
