import type { ListValuePieces } from '../../samples/stretch-assembler';
import type { ByteSink } from './byte-sink';
import { Int64Range } from './int64-range';

/**
 * Reads a list column's int64 values, given in pieces of other arrays, from the first on: each
 * `copy` appends the next values to a page payload as PLAIN bytes and folds them into `range`
 * (each piece is read once, for its range, just before it is copied, so the copy reads cache).
 */
export class ListPieceCursor {
  readonly range = new Int64Range();
  readonly #pieces: ListValuePieces;
  #piece = 0;
  /** The next word of the current piece. */
  #at: number;

  constructor(pieces: ListValuePieces) {
    this.#pieces = pieces;
    this.#at = pieces.from.length > 0 ? pieces.from[0] : 0;
  }

  /** Appends the next `count` values to `sink`. */
  copy(count: number, sink: ByteSink): void {
    const pieces = this.#pieces;
    let words = 2 * count;
    sink.reserve(4 * words);
    while (words > 0) {
      if (this.#piece === pieces.words.length) throw new Error(`list pieces: ${words / 2} values asked for beyond the last piece`);
      const source = pieces.words[this.#piece];
      const end = Math.min(pieces.to[this.#piece], this.#at + words);
      this.range.add(source, this.#at, end);
      sink.bytes(new Uint8Array(source.buffer, source.byteOffset + 4 * this.#at, 4 * (end - this.#at)));
      words -= end - this.#at;
      this.#at = end;
      if (end === pieces.to[this.#piece] && ++this.#piece < pieces.words.length) this.#at = pieces.from[this.#piece];
    }
  }
}
