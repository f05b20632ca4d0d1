import { idWords } from './ids';
import type { JaggedTensor } from './jagged-tensor';

/**
 * Word-level access to the rows of a dedup group: for every key, its ids and weights as 32-bit
 * words, so rows are hashed and compared without creating a BigInt or a float.
 */
export interface GroupWords {
  /** Per key: ids as 32-bit words. */
  readonly words: Int32Array[];
  /** Per key: offsets into the key's ids (in ids, not words). */
  readonly offsets: Int32Array[];
  /** Per key: weight bit patterns, or undefined when unweighted. */
  readonly weightBits: (Int32Array | undefined)[];
  readonly wordsPerValue: number;
  readonly rows: number;
}

export function groupWords(parts: readonly JaggedTensor[], rows: number): GroupWords {
  const wordsPerValue = parts.length > 0 && parts[0].idType === 'int64' ? 2 : 1;
  return {
    words: parts.map((part) => idWords(part.values)),
    offsets: parts.map((part) => part.offsets),
    weightBits: parts.map((part) => (part.weights ? new Int32Array(part.weights.buffer, part.weights.byteOffset, part.weights.length) : undefined)),
    wordsPerValue,
    rows,
  };
}

const C1 = 0xcc9e2d51 | 0;
const C2 = 0x1b873593 | 0;

/**
 * Hashes every row of the group into `out` (murmur3-style mixing of the lengths, id words and
 * weight bits of every key). Reads each key's ids once, in memory order.
 */
export function hashRows(group: GroupWords, out: Int32Array): void {
  const rows = group.rows;
  const wordsPerValue = group.wordsPerValue;
  out.fill(0x2545f491, 0, rows);
  for (let k = 0; k < group.words.length; k++) {
    const words = group.words[k];
    const offsets = group.offsets[k];
    const weightBits = group.weightBits[k];
    for (let row = 0; row < rows; row++) {
      const start = offsets[row];
      const end = offsets[row + 1];
      let h = mix(out[row], end - start);
      for (let j = start * wordsPerValue, stop = end * wordsPerValue; j < stop; j++) h = mix(h, words[j]);
      if (weightBits !== undefined) for (let j = start; j < end; j++) h = mix(h, weightBits[j]);
      out[row] = h;
    }
  }
  for (let row = 0; row < rows; row++) out[row] = finalize(out[row]);
}

function mix(h: number, word: number): number {
  let k = Math.imul(word, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

function finalize(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** True when rows `a` and `b` have the same lengths, id words and weight bits for every key. */
export function rowsEqual(group: GroupWords, a: number, b: number): boolean {
  const wordsPerValue = group.wordsPerValue;
  for (let k = 0; k < group.words.length; k++) {
    const offsets = group.offsets[k];
    const startA = offsets[a];
    const startB = offsets[b];
    const length = offsets[a + 1] - startA;
    if (length !== offsets[b + 1] - startB) return false;
    const words = group.words[k];
    for (let j = 0, count = length * wordsPerValue, wa = startA * wordsPerValue, wb = startB * wordsPerValue; j < count; j++) {
      if (words[wa + j] !== words[wb + j]) return false;
    }
    const weightBits = group.weightBits[k];
    if (weightBits !== undefined) {
      for (let j = 0; j < length; j++) if (weightBits[startA + j] !== weightBits[startB + j]) return false;
    }
  }
  return true;
}
