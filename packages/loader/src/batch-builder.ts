/**
 * Assembles batches from pieces (runs of consecutive rows of prepared chunks). Pieces are recorded
 * as (chunk, start, end) in typed arrays; `take` then allocates each output array once, at its
 * exact size, and copies ranges into it. Session-constant features go through `SegmentDeduper`
 * (dedup on) or are copied like the others (dedup off).
 */
import { IdType, InverseKeyedJaggedTensor, KeyedJaggedTensor } from '@recd/core';
import type { Batch } from './batch';
import { doubled } from './copy-words';
import type { JaggedColumn } from './jagged-column';
import { LoaderPlan, sessionKeysOf, sparseKeysOf } from './plan';
import type { PreparedChunk } from './prepared-chunk';
import { kjtOfRanges } from './range-kjt';
import { SegmentDeduper } from './segment-dedup';

export class BatchBuilder {
  readonly #batchSize: number;
  readonly #idType: IdType;
  readonly #dedup: boolean;
  readonly #numDense: number;
  readonly #sparseKeys: string[];
  readonly #sessionKeys: string[];
  readonly #groups: SegmentDeduper[];
  #chunks: PreparedChunk[] = [];
  #pieceChunk = new Int32Array(64);
  #pieceStart = new Int32Array(64);
  #pieceEnd = new Int32Array(64);
  #pieces = 0;
  #filled = 0;

  constructor(plan: LoaderPlan, batchSize: number) {
    this.#batchSize = batchSize;
    this.#idType = plan.idType;
    this.#dedup = plan.dedup;
    this.#numDense = plan.dense.length;
    this.#sparseKeys = sparseKeysOf(plan);
    this.#sessionKeys = sessionKeysOf(plan);
    this.#groups = plan.groups.map((group, g) => new SegmentDeduper(g, group.keys.map((key) => key.name), plan.idType));
  }

  /** Samples in the batch being filled. */
  get filled(): number {
    return this.#filled;
  }

  get full(): boolean {
    return this.#filled === this.#batchSize;
  }

  /** Adds rows `start .. end` of `chunk`, as many as fit; returns how many. */
  add(chunk: PreparedChunk, start: number, end: number): number {
    const count = Math.min(end - start, this.#batchSize - this.#filled);
    if (count <= 0) return 0;
    const c = this.#chunkIndex(chunk);
    const last = this.#pieces - 1;
    if (last >= 0 && this.#pieceChunk[last] === c && this.#pieceEnd[last] === start) {
      this.#pieceEnd[last] = start + count;
    } else {
      if (this.#pieces === this.#pieceChunk.length) this.#grow();
      this.#pieceChunk[this.#pieces] = c;
      this.#pieceStart[this.#pieces] = start;
      this.#pieceEnd[this.#pieces] = start + count;
      this.#pieces++;
    }
    this.#filled += count;
    return count;
  }

  /** The batch of the samples added so far (at least one); the next `add` starts a new batch. */
  take(): Batch {
    const size = this.#filled;
    const pieces = { chunk: this.#pieceChunk, start: this.#pieceStart, end: this.#pieceEnd, count: this.#pieces, chunks: this.#chunks };
    const batch: Batch = {
      size,
      labels: this.#labels(size),
      dense: this.#dense(size),
      sparse: this.#kjt(this.#sparseKeys, (chunk) => chunk.sparse, size),
      sessionSparse: this.#dedup
        ? InverseKeyedJaggedTensor.from({
            keys: this.#sessionKeys,
            batchSize: size,
            groups: this.#groups.map((group) => group.dedup(pieces, size)),
            passthrough: KeyedJaggedTensor.empty([], { idType: this.#idType, stride: size }),
          })
        : this.#kjt(this.#sessionKeys, (chunk) => chunk.session, size),
    };
    this.#chunks = [];
    this.#pieces = 0;
    this.#filled = 0;
    return batch;
  }

  #labels(size: number): Float32Array {
    const labels = new Float32Array(size);
    const sources = this.#chunks.map((chunk) => chunk.labels);
    let to = 0;
    for (let p = 0; p < this.#pieces; p++) {
      const source = sources[this.#pieceChunk[p]];
      for (let r = this.#pieceStart[p], end = this.#pieceEnd[p]; r < end; r++) labels[to++] = source[r];
    }
    return labels;
  }

  #dense(size: number): Float32Array {
    const width = this.#numDense;
    const dense = new Float32Array(size * width);
    if (width === 0) return dense;
    let row = 0;
    for (let p = 0; p < this.#pieces; p++) {
      const start = this.#pieceStart[p];
      const end = this.#pieceEnd[p];
      const columns = this.#chunks[this.#pieceChunk[p]].dense;
      for (let d = 0; d < width; d++) {
        const column = columns[d];
        for (let r = start, i = row * width + d; r < end; r++, i += width) dense[i] = column[r];
      }
      row += end - start;
    }
    return dense;
  }

  /** A KJT of `keys` over the batch's samples, from each chunk's per-row columns. */
  #kjt(keys: string[], columnsOf: (chunk: PreparedChunk) => JaggedColumn[], size: number): KeyedJaggedTensor {
    const ranges = { chunk: this.#pieceChunk, start: this.#pieceStart, end: this.#pieceEnd, count: this.#pieces };
    return kjtOfRanges(keys, this.#chunks.map(columnsOf), ranges, this.#idType, size);
  }

  #chunkIndex(chunk: PreparedChunk): number {
    for (let c = this.#chunks.length - 1; c >= 0; c--) if (this.#chunks[c] === chunk) return c;
    this.#chunks.push(chunk);
    return this.#chunks.length - 1;
  }

  #grow(): void {
    this.#pieceChunk = doubled(this.#pieceChunk);
    this.#pieceStart = doubled(this.#pieceStart);
    this.#pieceEnd = doubled(this.#pieceEnd);
  }
}
