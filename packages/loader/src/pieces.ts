import type { PreparedChunk } from './prepared-chunk';

/** A run of consecutive rows of one chunk: what the shuffle moves, and what batching consumes. */
export interface Piece {
  chunk: PreparedChunk;
  start: number;
  end: number;
}

/** Chunks in, pieces out: `add` a chunk whenever `next` returns false, then `end`, then drain `next`. */
export interface PieceSource {
  add(chunk: PreparedChunk): void;
  end(): void;
  /** Fills `piece`; false when input is needed (or, after `end`, when nothing is left). */
  next(piece: Piece): boolean;
}

/** No shuffle: each chunk whole, in order. */
export class InOrderPieces implements PieceSource {
  #chunk: PreparedChunk | undefined;

  add(chunk: PreparedChunk): void {
    this.#chunk = chunk;
  }

  end(): void {}

  next(piece: Piece): boolean {
    if (this.#chunk === undefined) return false;
    piece.chunk = this.#chunk;
    piece.start = 0;
    piece.end = this.#chunk.rows;
    this.#chunk = undefined;
    return true;
  }
}
