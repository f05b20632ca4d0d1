import type { SampleChunk, SampleColumn, SampleColumnType } from '../dataset/sample-chunk';

/** Rows of other chunks, stretch by stretch (`sources[k]` rows `from[k]`..`to[k]`), not yet copied. */
export interface ChunkStretches {
  sources: SampleChunk[];
  from: number[];
  to: number[];
  /** Rows in all. */
  length: number;
}

/** A list column's values left where they are: pieces of other arrays (32-bit words, two per value: words `from[k]`..`to[k]` of `words[k]`), in order. */
export interface ListValuePieces {
  words: Int32Array[];
  from: number[];
  to: number[];
}

/** A list column whose offsets are assembled and whose values are not (see `StretchAssembler.take`). */
export interface PiecewiseListColumn {
  name: string;
  type: 'list<int64>';
  offsets: Int32Array;
  pieces: ListValuePieces;
}

/** What the native encoder takes: columns of a chunk, a list's values possibly in pieces. */
export type EncoderColumn = SampleColumn | PiecewiseListColumn;

export interface EncoderChunk {
  length: number;
  columns: EncoderColumn[];
}

/**
 * A chunk assembled from stretches of rows of other chunks (what the merge emits: about one
 * session each), copied column by column when the chunk is wanted: one tight loop per column over
 * the stretches, with int64 values moved as 32-bit words, instead of a dozen small typed-array
 * copies per stretch. Its arrays are reused from one `take` to the next: the chunk `take` returns
 * is valid until the next `add`.
 */
export class StretchAssembler {
  readonly #columns: readonly { name: string; type: SampleColumnType }[];
  #sources: SampleChunk[] = [];
  #from: number[] = [];
  #to: number[] = [];
  #rows = 0;
  /** Per source chunk and column: its values as 32-bit words (float32 bits copy exactly as int32). */
  readonly #words = new WeakMap<SampleChunk, Int32Array[]>();
  #float32: Float32Array[] = [];
  #int64: BigInt64Array[] = [];
  #offsets: Int32Array[] = [];

  constructor(columns: readonly { name: string; type: SampleColumnType }[]) {
    this.#columns = columns;
  }

  get length(): number {
    return this.#rows;
  }

  add(chunk: SampleChunk, from: number, to: number): void {
    if (to <= from) return;
    this.#sources.push(chunk);
    this.#from.push(from);
    this.#to.push(to);
    this.#rows += to - from;
  }

  /** Adds every stretch of `stretches`. */
  addStretches(stretches: ChunkStretches): void {
    for (let k = 0; k < stretches.sources.length; k++) this.add(stretches.sources[k], stretches.from[k], stretches.to[k]);
  }

  /** The stretches added since the last `take`, handed over uncopied (for another thread to assemble); the assembler is emptied. */
  takeStretches(): ChunkStretches {
    const stretches = { sources: this.#sources, from: this.#from, to: this.#to, length: this.#rows };
    this.#sources = [];
    this.#from = [];
    this.#to = [];
    this.#rows = 0;
    return stretches;
  }

  /** The rows added since the last `take`, as one chunk (views of reused arrays). */
  take(): SampleChunk {
    return this.takeForEncoder() as SampleChunk;
  }

  /**
   * As `take`, but the values of the list columns named in `piecewise` are not copied: they come
   * as pieces of the source chunks (a PLAIN list's pages copy them straight from there).
   */
  takeForEncoder(piecewise: ReadonlySet<string> = NONE): EncoderChunk {
    const n = this.#rows;
    const sources = this.#sources;
    const from = this.#from;
    const to = this.#to;
    const wordsOf = sources.map((chunk) => this.#wordsOf(chunk));
    // one small function per loop (V8 compiles them once, rather than one long closure again and again)
    const columns: EncoderColumn[] = [];
    for (let c = 0; c < this.#columns.length; c++) {
      const { name, type } = this.#columns[c];
      if (type === 'float32') {
        const out = (this.#float32[c] = withCapacity(this.#float32[c], n, Float32Array));
        gatherWords(wordsOf, c, from, to, 1, new Int32Array(out.buffer));
        columns.push({ name, type, values: out.subarray(0, n) });
      } else if (type === 'int64') {
        const out = (this.#int64[c] = withCapacity(this.#int64[c], n, BigInt64Array));
        gatherWords(wordsOf, c, from, to, 2, new Int32Array(out.buffer));
        columns.push({ name, type, values: out.subarray(0, n) });
      } else {
        const offsets = (this.#offsets[c] = withCapacity(this.#offsets[c], n + 1, Int32Array));
        const values = gatherOffsets(sources, c, from, to, offsets);
        if (piecewise.has(name)) {
          columns.push({ name, type, offsets: offsets.subarray(0, n + 1), pieces: this.#pieces(c, sources, from, to, wordsOf) });
        } else {
          const out = (this.#int64[c] = withCapacity(this.#int64[c], values, BigInt64Array));
          gatherListValues(sources, wordsOf, c, from, to, new Int32Array(out.buffer));
          columns.push({ name, type, offsets: offsets.subarray(0, n + 1), values: out.subarray(0, values) });
        }
      }
    }
    this.#sources = [];
    this.#from = [];
    this.#to = [];
    this.#rows = 0;
    return { length: n, columns };
  }

  #pieces(c: number, sources: SampleChunk[], from: number[], to: number[], wordsOf: Int32Array[][]): ListValuePieces {
    const pieces: ListValuePieces = { words: [], from: [], to: [] };
    for (let k = 0; k < sources.length; k++) {
      const sourceOffsets = (sources[k].columns[c] as { offsets: Int32Array }).offsets;
      const start = sourceOffsets[from[k]];
      const end = sourceOffsets[to[k]];
      if (end === start) continue;
      pieces.words.push(wordsOf[k][c]);
      pieces.from.push(2 * start);
      pieces.to.push(2 * end);
    }
    return pieces;
  }

  #wordsOf(chunk: SampleChunk): Int32Array[] {
    let words = this.#words.get(chunk);
    if (words === undefined) {
      words = chunk.columns.map(({ values }) => new Int32Array(values.buffer, values.byteOffset, values.byteLength / 4));
      this.#words.set(chunk, words);
    }
    return words;
  }
}

const NONE: ReadonlySet<string> = new Set();

/** Column c's words of every stretch (`wordsPerRow` words a row), one after another into `out`. */
function gatherWords(wordsOf: Int32Array[][], c: number, from: number[], to: number[], wordsPerRow: number, out: Int32Array): void {
  let at = 0;
  for (let k = 0; k < wordsOf.length; k++) at = copyWords(wordsOf[k][c], wordsPerRow * from[k], wordsPerRow * to[k], out, at);
}

/** List column c's offsets over the stretches, from 0; returns the values in all. */
function gatherOffsets(sources: SampleChunk[], c: number, from: number[], to: number[], offsets: Int32Array): number {
  let values = 0;
  let row = 0;
  offsets[0] = 0;
  for (let k = 0; k < sources.length; k++) {
    const sourceOffsets = (sources[k].columns[c] as { offsets: Int32Array }).offsets;
    const shift = values - sourceOffsets[from[k]];
    for (let i = from[k]; i < to[k]; i++) offsets[++row] = sourceOffsets[i + 1] + shift;
    values = offsets[row];
  }
  return values;
}

/** List column c's values (int64 words) of every stretch, one after another into `out`. */
function gatherListValues(sources: SampleChunk[], wordsOf: Int32Array[][], c: number, from: number[], to: number[], out: Int32Array): void {
  let at = 0;
  for (let k = 0; k < sources.length; k++) {
    const sourceOffsets = (sources[k].columns[c] as { offsets: Int32Array }).offsets;
    at = copyWords(wordsOf[k][c], 2 * sourceOffsets[from[k]], 2 * sourceOffsets[to[k]], out, at);
  }
}

function copyWords(source: Int32Array, from: number, to: number, target: Int32Array, at: number): number {
  if (to - from > 64) target.set(source.subarray(from, to), at);
  else for (let i = from, j = at; i < to; i++, j++) target[j] = source[i];
  return at + (to - from);
}

/** `array` if it holds `length` elements, else a bigger one (grown by half again, so reuse is likely). */
function withCapacity<T extends Float32Array | BigInt64Array | Int32Array>(array: T | undefined, length: number, Type: new (length: number) => T): T {
  if (array !== undefined && array.length >= length) return array;
  return new Type(Math.ceil(length * 1.5) + 16);
}
