/**
 * An exact set of rows, each row a run of 32-bit words (an id's two words; a list's length and
 * its ids' words; several keys one after another), each given an index in first-seen order. The
 * caller hashes a row (`hashWords`) once, however many sets it adds it to. Rows whose hashes match are compared word by word, so a hash
 * collision never merges two different rows. Distinct rows are copied into one arena that grows
 * by doubling: memory is the distinct rows' words plus about 16 bytes per distinct row.
 */
export class DistinctRowSet {
  /** Open addressing: distinct-row index + 1, 0 for an empty slot. */
  #slots: Int32Array = new Int32Array(64);
  #rowHash: Int32Array = new Int32Array(32);
  /** Row i is arena[rowStart[i] .. rowStart[i + 1]). */
  #rowStart: Int32Array = new Int32Array(33);
  #arena: Int32Array = new Int32Array(256);
  #size = 0;

  /** Distinct rows added since construction or the last `clear`. */
  get size(): number {
    return this.#size;
  }

  /**
   * Adds `words[0 .. length)` with its `hash`; returns the row's index among the distinct rows in
   * first-seen order (a new row gets index `size - 1`).
   */
  add(words: Int32Array, length: number, hash: number): number {
    const mask = this.#slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = this.#slots[slot];
      if (entry === 0) return this.#insert(slot, words, length, hash);
      if (this.#rowHash[entry - 1] === hash && this.#equals(entry - 1, words, length)) return entry - 1;
    }
  }

  #equals(row: number, words: Int32Array, length: number): boolean {
    const start = this.#rowStart[row];
    if (this.#rowStart[row + 1] - start !== length) return false;
    const arena = this.#arena;
    for (let i = 0; i < length; i++) if (arena[start + i] !== words[i]) return false;
    return true;
  }

  #insert(slot: number, words: Int32Array, length: number, hash: number): number {
    const row = this.#size;
    const start = this.#rowStart[row];
    if (start + length > this.#arena.length) this.#arena = grow(this.#arena, start + length);
    this.#arena.set(words.subarray(0, length), start);
    if (row === this.#rowHash.length) {
      this.#rowHash = grow(this.#rowHash, row + 1);
      this.#rowStart = grow(this.#rowStart, this.#rowHash.length + 1);
    }
    this.#rowStart[row + 1] = start + length;
    this.#rowHash[row] = hash;
    this.#slots[slot] = row + 1;
    this.#size = row + 1;
    if (2 * this.#size > this.#slots.length) this.#rehash(2 * this.#slots.length);
    return row;
  }

  #rehash(capacity: number): void {
    const slots = new Int32Array(capacity);
    const mask = capacity - 1;
    for (let row = 0; row < this.#size; row++) {
      let slot = this.#rowHash[row] & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = row + 1;
    }
    this.#slots = slots;
  }
}

function grow(array: Int32Array, needed: number): Int32Array {
  let capacity = array.length;
  while (capacity < needed) capacity *= 2;
  const grown = new Int32Array(capacity);
  grown.set(array);
  return grown;
}

const C1 = 0xcc9e2d51 | 0;
const C2 = 0x1b873593 | 0;

/** Murmur3-style hash of `words[0 .. length)`. */
export function hashWords(words: Int32Array, length: number): number {
  let h = 0x2545f491 ^ length;
  for (let i = 0; i < length; i++) {
    let k = Math.imul(words[i], C1);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, C2);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
