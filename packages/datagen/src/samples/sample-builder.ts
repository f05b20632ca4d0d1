import type { SampleChunk, SampleColumn, SampleColumnType } from '../dataset/sample-chunk';

/**
 * A growable SampleChunk: scalar columns and list columns that double when full. Rows are
 * appended column by column through the typed fields (`float32[c]`, `int64Words[c]`, list
 * columns via `pushList`), then `finish()` trims once and hands out the chunk.
 */
export class SampleChunkBuilder {
  readonly names: readonly string[];
  readonly types: readonly SampleColumnType[];
  length = 0;
  #capacity = 0;
  /** Per column: the float32 values (float32 columns), else an empty array. */
  float32: Float32Array[] = [];
  /** Per column: the int64 values (int64 and list columns). */
  int64: BigInt64Array[] = [];
  int64Words: Int32Array[] = [];
  /** Per list column: offsets (capacity + 1) and how many values are used. */
  offsets: Int32Array[] = [];
  listLength: number[];

  /**
   * `listCapacity[c]`: values to make room for in list column c (default 4 per row). `shared`:
   * the first arrays are in SharedArrayBuffers (those grown later are not), for a builder sized
   * exactly whose chunk other threads will read.
   */
  constructor(columns: readonly { name: string; type: SampleColumnType }[], capacity = 4096, listCapacity?: readonly number[], shared = false) {
    this.names = columns.map((column) => column.name);
    this.types = columns.map((column) => column.type);
    this.listLength = this.types.map(() => 0);
    this.#allocate(capacity, listCapacity, shared);
  }

  #allocate(capacity: number, listCapacity: readonly number[] | undefined, shared = false): void {
    this.#capacity = capacity;
    const make = <T>(Type: { new (length: number): T; new (buffer: SharedArrayBuffer): T; BYTES_PER_ELEMENT: number }, length: number): T =>
      shared && length > 0 ? new Type(new SharedArrayBuffer(length * Type.BYTES_PER_ELEMENT)) : new Type(length);
    this.float32 = this.types.map((type) => make(Float32Array, type === 'float32' ? capacity : 0));
    this.int64 = this.types.map((type, c) => make(BigInt64Array, type === 'int64' ? capacity : type === 'list<int64>' ? (listCapacity?.[c] ?? capacity * 4) : 0));
    this.int64Words = this.int64.map((values) => new Int32Array(values.buffer));
    this.offsets = this.types.map((type) => make(Int32Array, type === 'list<int64>' ? capacity + 1 : 0));
  }

  /** Makes room for `rows` more rows (list values grow on demand in `reserveList`). */
  reserve(rows: number): void {
    const needed = this.length + rows;
    if (needed <= this.#capacity) return;
    let capacity = Math.max(16, this.#capacity * 2);
    while (capacity < needed) capacity *= 2;
    this.types.forEach((type, c) => {
      if (type === 'float32') this.float32[c] = grow(this.float32[c], capacity);
      if (type === 'int64') this.#setInt64(c, grow(this.int64[c], capacity));
      if (type === 'list<int64>') this.offsets[c] = grow(this.offsets[c], capacity + 1);
    });
    this.#capacity = capacity;
  }

  /**
   * Moves the write position to row `row`, with list column c's next values at `listStart[c]`
   * (rows between are left as they are): for a caller that places blocks of rows out of order
   * into a builder sized exactly for them.
   */
  seek(row: number, listStart: readonly number[]): void {
    this.length = row;
    this.types.forEach((type, c) => {
      if (type !== 'list<int64>') return;
      this.listLength[c] = listStart[c];
      this.offsets[c][row] = listStart[c];
    });
  }

  /** Makes room for `count` more values in list column `c`. */
  reserveList(c: number, count: number): void {
    const needed = this.listLength[c] + count;
    if (needed <= this.int64[c].length) return;
    let capacity = Math.max(16, this.int64[c].length * 2);
    while (capacity < needed) capacity *= 2;
    this.#setInt64(c, grow(this.int64[c], capacity));
  }

  /**
   * Appends to list column `c` the ids `source[from .. to)` (as words of a BigInt64Array) for
   * row `row`; call once per row, in row order.
   */
  pushList(c: number, row: number, sourceWords: Int32Array, from: number, to: number): void {
    const count = to - from;
    this.reserveList(c, count);
    const words = this.int64Words[c];
    const at = 2 * this.listLength[c];
    if (count > 12) words.set(sourceWords.subarray(2 * from, 2 * to), at);
    else for (let j = 0, w = 2 * from; j < 2 * count; j++, w++) words[at + j] = sourceWords[w];
    this.listLength[c] += count;
    this.offsets[c][row + 1] = this.listLength[c];
  }

  /**
   * Appends to list column `c` the same ids `source[from .. to)` for each of the `rows` rows from
   * `firstRow` (rows whose lists are alike, such as a session's user history): the ids are copied
   * once, then the block doubles within the column; as `rows` calls of `pushList`.
   */
  pushRepeatedList(c: number, firstRow: number, rows: number, sourceWords: Int32Array, from: number, to: number): void {
    if (rows <= 0) return;
    const count = to - from;
    this.reserveList(c, count * rows);
    const words = this.int64Words[c];
    const start = 2 * this.listLength[c];
    const rowWords = 2 * count;
    words.set(sourceWords.subarray(2 * from, 2 * to), start);
    for (let done = 1; done < rows; ) {
      const copy = Math.min(done, rows - done);
      words.copyWithin(start + done * rowWords, start, start + copy * rowWords);
      done += copy;
    }
    const offsets = this.offsets[c];
    let end = this.listLength[c];
    for (let r = 0; r < rows; r++) offsets[firstRow + r + 1] = end += count;
    this.listLength[c] = end;
  }

  get byteLength(): number {
    let total = 0;
    this.types.forEach((_, c) => (total += this.float32[c].byteLength + this.int64[c].byteLength + this.offsets[c].byteLength));
    return total;
  }

  /**
   * The rows so far as a SampleChunk, trimmed (copies); a builder filled exactly to its capacity
   * (see `seek`) hands its arrays over instead and starts again empty. The builder is emptied.
   */
  finish(): SampleChunk {
    const n = this.length;
    const exact = this.#filledExactly();
    const columns: SampleColumn[] = this.types.map((type, c): SampleColumn => {
      const name = this.names[c];
      const values = this.int64[c];
      if (type === 'float32') return { name, type, values: exact ? this.float32[c] : this.float32[c].slice(0, n) };
      if (type === 'int64') return { name, type, values: exact ? values : values.slice(0, n) };
      return { name, type, offsets: exact ? this.offsets[c] : this.offsets[c].slice(0, n + 1), values: exact ? values : values.slice(0, this.listLength[c]) };
    });
    if (exact) this.#allocate(0, undefined);
    this.length = 0;
    this.listLength.fill(0);
    return { length: n, columns };
  }

  #filledExactly(): boolean {
    return (
      this.length === this.#capacity &&
      this.types.every((type, c) => type !== 'list<int64>' || this.listLength[c] === this.int64[c].length)
    );
  }

  #setInt64(c: number, values: BigInt64Array): void {
    this.int64[c] = values;
    this.int64Words[c] = new Int32Array(values.buffer);
  }
}

type Growable = Float32Array | BigInt64Array | Int32Array;

function grow<T extends Growable>(array: T, capacity: number): T {
  const grown = new (array.constructor as new (length: number) => T)(capacity);
  (grown as Growable).set(array as never);
  return grown;
}
