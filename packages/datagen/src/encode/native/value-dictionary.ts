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
  const capacity = Math.min(count, maxSize) + 1;
  let slots = 16;
  while (slots < 2 * capacity) slots *= 2;
  const mask = slots - 1;
  const table = new Int32Array(slots); // dictionary index + 1, 0 = empty
  const dictionary = new Int32Array(capacity * width);
  const indices = new Int32Array(count);
  let size = 0;
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
    let slot = hashWords(low, high) & mask;
    for (;;) {
      const entry = table[slot];
      if (entry === 0) {
        if (size === maxSize) return undefined;
        dictionary[size * width] = low;
        if (width === 2) dictionary[size * width + 1] = high;
        table[slot] = ++size;
        indices[i] = size - 1;
        break;
      }
      const d = (entry - 1) * width;
      if (dictionary[d] === low && (width === 1 || dictionary[d + 1] === high)) {
        indices[i] = entry - 1;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return { words: dictionary.subarray(0, size * width), size, indices };
}

function hashWords(low: number, high: number): number {
  let h = Math.imul(low ^ 0x9e3779b9, 0x85ebca6b);
  h ^= Math.imul(high ^ (h >>> 15), 0xc2b2ae35);
  h ^= h >>> 13;
  h = Math.imul(h, 0x27d4eb2f);
  return (h ^ (h >>> 16)) >>> 0;
}
