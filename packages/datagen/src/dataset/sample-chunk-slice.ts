import type { SampleChunk, SampleColumn } from './sample-chunk';
import type { SampleColumnSpec } from './sample-chunk-validate';

/**
 * Rows `[start, end)` of a chunk. Values are views (no copy); list offsets are rebased to start at
 * 0, so they are a copy of `end - start + 1` small integers.
 */
export function sliceSampleChunk(chunk: SampleChunk, start: number, end: number): SampleChunk {
  if (start === 0 && end === chunk.length) return chunk;
  return {
    length: end - start,
    columns: chunk.columns.map((column): SampleColumn => {
      if (column.type !== 'list<int64>') return { ...column, values: column.values.subarray(start, end) } as SampleColumn;
      const first = column.offsets[start];
      const offsets = column.offsets.slice(start, end + 1);
      if (first !== 0) for (let i = 0; i < offsets.length; i++) offsets[i] -= first;
      return { name: column.name, type: column.type, offsets, values: column.values.subarray(first, column.offsets[end]) };
    }),
  };
}

/** Bytes of the chunk's arrays: what one copy of it costs. */
export function sampleChunkBytes(chunk: SampleChunk): number {
  let bytes = 0;
  for (const column of chunk.columns) bytes += column.values.byteLength + (column.type === 'list<int64>' ? column.offsets.byteLength : 0);
  return bytes;
}

/** Splits a chunk into consecutive slices of at most about `maxBytes` each (at least one row each). */
export function* sampleChunkPieces(chunk: SampleChunk, maxBytes: number): Generator<SampleChunk> {
  const bytesPerRow = sampleChunkBytes(chunk) / Math.max(1, chunk.length);
  const rows = Math.max(1, Math.floor(maxBytes / Math.max(1, bytesPerRow)));
  for (let start = 0; start < chunk.length; start += rows) yield sliceSampleChunk(chunk, start, Math.min(chunk.length, start + rows));
}

/** A chunk of zero rows with `columns`. */
export function emptyChunk(columns: readonly SampleColumnSpec[]): SampleChunk {
  return {
    length: 0,
    columns: columns.map(({ name, type }) => {
      if (type === 'float32') return { name, type, values: new Float32Array(0) };
      if (type === 'int64') return { name, type, values: new BigInt64Array(0) };
      return { name, type, offsets: new Int32Array(1), values: new BigInt64Array(0) };
    }),
  };
}
