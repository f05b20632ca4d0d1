import type { Rng } from '@recd/core';
import type { Piece, PieceSource } from './pieces';
import type { PreparedChunk } from './prepared-chunk';

/**
 * A shuffle buffer over session runs (tf.data's shuffle, with runs as elements): it holds up to
 * `window` runs; each new run replaces a uniformly chosen one, which is emitted. Whole runs move,
 * so a session's samples stay together and batches keep the duplication RecD needs. The buffer
 * stores (chunk, start, end) in typed arrays, never rows.
 *
 * Memory: a chunk stays alive while any of its runs is buffered. When more than `maxLiveChunks`
 * chunks are (`4 + 4 * window / mean runs per chunk` by default, a rare tail), runs of the oldest
 * chunk are emitted first until it is released, which keeps memory bounded.
 */
export class RunShuffler implements PieceSource {
  readonly #window: number;
  readonly #rng: Rng;
  readonly #maxLiveChunks: number | undefined;
  readonly #slot: Int32Array;
  readonly #start: Int32Array;
  readonly #end: Int32Array;
  #size = 0;
  /** Chunks by slot, with the number of their runs buffered or pending, and their arrival order. */
  readonly #chunks: (PreparedChunk | undefined)[] = [];
  readonly #refs: number[] = [];
  readonly #arrival: number[] = [];
  readonly #freeSlots: number[] = [];
  #live = 0;
  #arrivals = 0;
  #runsSeen = 0;
  /** The chunk being read in: its slot and next run. */
  #pending: { slot: number; run: number; runs: number; starts: Int32Array | undefined } | undefined;
  #ended = false;

  readonly #bySample: boolean;

  /** `bySample`: every row is an element of its own (sessions scatter). */
  constructor(window: number, rng: Rng, options: { bySample?: boolean; maxLiveChunks?: number } = {}) {
    this.#window = window;
    this.#bySample = options.bySample ?? false;
    this.#rng = rng;
    this.#maxLiveChunks = options.maxLiveChunks;
    this.#slot = new Int32Array(window);
    this.#start = new Int32Array(window);
    this.#end = new Int32Array(window);
  }

  /** Call when `next` returned false and `end` was not called. */
  add(chunk: PreparedChunk): void {
    const starts = this.#bySample ? undefined : chunk.runStarts;
    const runs = starts === undefined ? chunk.rows : starts.length - 1;
    if (runs === 0) return;
    const slot = this.#freeSlots.pop() ?? this.#chunks.length;
    this.#chunks[slot] = chunk;
    this.#refs[slot] = runs;
    this.#arrival[slot] = this.#arrivals++;
    this.#live++;
    this.#runsSeen += runs;
    this.#pending = { slot, run: 0, runs, starts };
  }

  /** No more input: `next` drains the buffer. */
  end(): void {
    this.#ended = true;
  }

  /** Fills `piece` with the next run; false when input is needed (or, after `end`, when empty). */
  next(piece: Piece): boolean {
    for (;;) {
      const pending = this.#pending;
      if (pending !== undefined && pending.run < pending.runs) {
        const run = pending.run++;
        const start = pending.starts === undefined ? run : pending.starts[run];
        const end = pending.starts === undefined ? run + 1 : pending.starts[run + 1];
        if (this.#size < this.#window) {
          this.#put(this.#size++, pending.slot, start, end);
          continue;
        }
        const j = this.#choose();
        this.#emit(j, piece);
        this.#put(j, pending.slot, start, end);
        return true;
      }
      this.#pending = undefined;
      if (!this.#ended || this.#size === 0) return false;
      const j = this.#choose();
      this.#emit(j, piece);
      const last = --this.#size;
      this.#put(j, this.#slot[last], this.#start[last], this.#end[last]);
      return true;
    }
  }

  /** A uniform buffer position, or one of the oldest chunk's runs when too many chunks are alive. */
  #choose(): number {
    const limit = this.#maxLiveChunks ?? 4 + 4 * Math.ceil(this.#window / Math.max(1, this.#runsSeen / this.#arrivals));
    if (this.#live <= limit) return this.#rng.nextInt(this.#size);
    let best = 0;
    for (let j = 1; j < this.#size; j++) if (this.#arrival[this.#slot[j]] < this.#arrival[this.#slot[best]]) best = j;
    return best;
  }

  #put(j: number, slot: number, start: number, end: number): void {
    this.#slot[j] = slot;
    this.#start[j] = start;
    this.#end[j] = end;
  }

  #emit(j: number, piece: Piece): void {
    const slot = this.#slot[j];
    piece.chunk = this.#chunks[slot]!;
    piece.start = this.#start[j];
    piece.end = this.#end[j];
    if (--this.#refs[slot] === 0) {
      this.#chunks[slot] = undefined;
      this.#freeSlots.push(slot);
      this.#live--;
    }
  }
}
