/** A column's dictionary: distinct values in order of first appearance, and each value's index. */
export interface ValueDictionary {
  /** The distinct values' 32-bit words (1 or 2 per value), in order of first appearance. */
  words: Int32Array;
  size: number;
  /** Per value of the column, its dictionary index. */
  indices: Int32Array;
}

/**
 * Builds the dictionary of values `from`..`to` of a column given as 32-bit words (`width` 1 for
 * float32 bit patterns, 2 for int64 word pairs): an open-addressing hash table keyed by the exact
 * bits. Returns undefined once the distinct values exceed `maxSize` (the caller writes PLAIN).
 */
export function buildDictionary(words: Int32Array, width: 1 | 2, from: number, to: number, maxSize: number): ValueDictionary | undefined {
  const count = to - from;
  const indices = new Int32Array(count);
  // the table and the values start small and double: most dictionary columns have a few hundred
  // values at most, and a table sized for every row (1 MiB at 65536 rows) was zeroed and missed in cache
  const table = new DictionaryTable(width, Math.min(count, maxSize) + 1);
  let lastLow = 0;
  let lastHigh = 0;
  for (let i = 0; i < count; i++) {
    const at = (from + i) * width;
    const low = words[at];
    const high = width === 2 ? words[at + 1] : 0;
    if (i > 0 && low === lastLow && high === lastHigh) {
      // runs of one value (session-constant columns in session order) skip the lookup
      indices[i] = indices[i - 1];
      continue;
    }
    lastLow = low;
    lastHigh = high;
    const index = table.indexOf(low, high, maxSize);
    if (index < 0) return undefined;
    indices[i] = index;
  }
  return { words: table.values.subarray(0, table.size * width), size: table.size, indices };
}

/** Distinct values (32-bit words, `width` per value) in order of first appearance, with an open-addressing hash table over them. */
class DictionaryTable {
  size = 0;
  values: Int32Array;
  readonly #width: 1 | 2;
  readonly #maxValues: number;
  #slots: Int32Array; // dictionary index + 1, 0 = empty
  #mask: number;

  constructor(width: 1 | 2, maxValues: number) {
    this.#width = width;
    this.#maxValues = maxValues;
    const first = Math.min(maxValues, 256);
    this.values = new Int32Array(first * width);
    this.#slots = new Int32Array(slotsFor(first));
    this.#mask = this.#slots.length - 1;
  }

  /** The value's index, added if new; -1 once a new value would make more than `maxSize`. */
  indexOf(low: number, high: number, maxSize: number): number {
    const width = this.#width;
    const values = this.values;
    let slot = hashWords(low, high) & this.#mask;
    for (;;) {
      const entry = this.#slots[slot];
      if (entry === 0) break;
      const d = (entry - 1) * width;
      if (values[d] === low && (width === 1 || values[d + 1] === high)) return entry - 1;
      slot = (slot + 1) & this.#mask;
    }
    if (this.size === maxSize) return -1;
    if (this.size * width === values.length) return this.#grow() ? this.indexOf(low, high, maxSize) : -1;
    values[this.size * width] = low;
    if (width === 2) values[this.size * width + 1] = high;
    this.#slots[slot] = ++this.size;
    return this.size - 1;
  }

  /** Twice the room for values, and a table for them; false at `maxValues`. */
  #grow(): boolean {
    const width = this.#width;
    const room = Math.min(this.#maxValues, 2 * (this.values.length / width));
    if (room * width <= this.values.length) return false;
    const values = new Int32Array(room * width);
    values.set(this.values);
    this.values = values;
    this.#slots = new Int32Array(slotsFor(room));
    this.#mask = this.#slots.length - 1;
    for (let index = 0; index < this.size; index++) {
      const d = index * width;
      let slot = hashWords(values[d], width === 2 ? values[d + 1] : 0) & this.#mask;
      while (this.#slots[slot] !== 0) slot = (slot + 1) & this.#mask;
      this.#slots[slot] = index + 1;
    }
    return true;
  }
}

/** A power of two at least twice `values` (a table at most half full). */
function slotsFor(values: number): number {
  let slots = 16;
  while (slots < 2 * values) slots *= 2;
  return slots;
}

function hashWords(low: number, high: number): number {
  let h = Math.imul(low ^ 0x9e3779b9, 0x85ebca6b);
  h ^= Math.imul(high ^ (h >>> 15), 0xc2b2ae35);
  h ^= h >>> 13;
  h = Math.imul(h, 0x27d4eb2f);
  return (h ^ (h >>> 16)) >>> 0;
}
