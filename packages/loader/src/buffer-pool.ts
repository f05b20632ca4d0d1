/**
 * Buffers for decoded columns, reused from row group to row group. Decoding a row group allocates
 * a few MB of arrays (ids, codes, offsets) that prepare mostly reads and drops: new arrays each
 * time keep V8 collecting (external memory pressure triggers full collections). Here the decoder
 * takes its arrays from the pool, and after prepare, the buffers the prepared chunk does not hold
 * go back to it; a buffer the prepared chunk holds (a column passed through untransformed) is
 * simply never returned, so nothing in use is ever handed out twice.
 */
import type { DecodedChunk } from './dictionary-ids';
import type { PreparedChunk } from './prepared-chunk';

/** Buffers are sized in powers of two from this many bytes. */
const MIN_BYTES = 4096;

export class BufferPool {
  readonly #free = new Map<number, ArrayBuffer[]>();
  readonly #ours = new WeakSet<ArrayBuffer>();
  readonly #perSize: number;

  /** `perSize`: free buffers kept per size (about the number of columns of a size in a row group). */
  constructor(perSize = 16) {
    this.#perSize = perSize;
  }

  /** A zeroed Int32Array of exactly `words` words, in a pooled buffer. */
  readonly alloc = (words: number): Int32Array => {
    let bytes = MIN_BYTES;
    while (bytes < words * 4) bytes *= 2;
    const buffer = this.#free.get(bytes)?.pop();
    if (buffer === undefined) {
      const fresh = new ArrayBuffer(bytes);
      this.#ours.add(fresh);
      return new Int32Array(fresh, 0, words);
    }
    const array = new Int32Array(buffer, 0, words);
    array.fill(0);
    return array;
  };

  /** Returns the buffers of `decoded` that came from this pool and that `prepared` does not hold. */
  release(decoded: DecodedChunk, prepared: PreparedChunk): void {
    const held = buffersOf(prepared);
    for (const column of decoded.columns) {
      const offsets = 'offsets' in column ? column.offsets : undefined;
      for (const array of [offsets, 'codes' in column ? column.codes : column.values]) {
        const buffer = array?.buffer as ArrayBuffer | undefined;
        if (buffer === undefined || held.has(buffer) || !this.#ours.has(buffer)) continue;
        held.add(buffer); // once, even if two arrays share it
        let list = this.#free.get(buffer.byteLength);
        if (list === undefined) this.#free.set(buffer.byteLength, (list = []));
        if (list.length < this.#perSize) list.push(buffer);
      }
    }
  }
}

function buffersOf(chunk: PreparedChunk): Set<ArrayBuffer> {
  const held = new Set<ArrayBuffer>();
  const add = (array: { buffer: ArrayBufferLike } | undefined) => {
    if (array !== undefined) held.add(array.buffer as ArrayBuffer);
  };
  add(chunk.labels);
  chunk.dense.forEach(add);
  for (const column of [...chunk.sparse, ...chunk.session, ...chunk.groups.flatMap((group) => group.keys)]) {
    add(column.offsets);
    add(column.values);
  }
  chunk.groups.forEach((group) => add(group.runStarts));
  add(chunk.runStarts);
  return held;
}
