import { idWords } from './ids';
import type { JaggedTensor } from './jagged-tensor';

/**
 * Word-level access to the rows of a dedup group: for every key, its ids and weights as 32-bit
 * words, so rows are hashed and compared without creating a BigInt or a float.
 */
export interface GroupWords {
  /** Per key: ids as 32-bit words. */
  readonly words: Int32Array[];
  /**
   * Per key: the same int64 ids viewed as doubles, so equal ids are confirmed one compare per id
   * instead of two (undefined for int32 ids). Only a shortcut: see `sameIds`.
   */
  readonly idDoubles: (Float64Array | undefined)[];
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
    idDoubles: parts.map((part) =>
      part.values instanceof BigInt64Array ? new Float64Array(part.values.buffer, part.values.byteOffset, part.values.length) : undefined,
    ),
    offsets: parts.map((part) => part.offsets),
    weightBits: parts.map((part) => (part.weights ? new Int32Array(part.weights.buffer, part.weights.byteOffset, part.weights.length) : undefined)),
    wordsPerValue,
    rows,
  };
}

const SEED_A = 0x2545f491;
const SEED_B = 0x5bd1e995;
const MUL_A = 0x9e3779b1 | 0;
const MUL_B = 0x85ebca6b | 0;

/**
 * Hashes every row of the group into `out`: `out[row] = hashRow(group, row)`.
 */
export function hashRows(group: GroupWords, out: Int32Array): void {
  for (let row = 0; row < group.rows; row++) out[row] = hashRow(group, row);
}

/**
 * The hash of one row: the lengths, id words and weight bits of every key, each folded in by a
 * rotate, xor and multiply (as FxHash does), then a murmur3 finalizer. Even and odd words go to two
 * independent lanes (the low and high halves of int64 ids), which the CPU overlaps; that runs at
 * about the speed of merely reading the words. Equal rows hash equal; different rows may too, so
 * callers compare words before they merge.
 */
export function hashRow(group: GroupWords, row: number): number {
  const wordsPerValue = group.wordsPerValue;
  const allWords = group.words;
  const allOffsets = group.offsets;
  const allWeightBits = group.weightBits;
  let a = SEED_A;
  let b = SEED_B;
  for (let k = 0; k < allWords.length; k++) {
    const words = allWords[k];
    const offsets = allOffsets[k];
    const start = offsets[row];
    const end = offsets[row + 1];
    a = Math.imul(((a << 5) | (a >>> 27)) ^ (end - start), MUL_A);
    let j = start * wordsPerValue;
    const stop = end * wordsPerValue;
    for (; j + 1 < stop; j += 2) {
      a = Math.imul(((a << 5) | (a >>> 27)) ^ words[j], MUL_A);
      b = Math.imul(((b << 5) | (b >>> 27)) ^ words[j + 1], MUL_B);
    }
    if (j < stop) a = Math.imul(((a << 5) | (a >>> 27)) ^ words[j], MUL_A);
    const weightBits = allWeightBits[k];
    if (weightBits !== undefined) for (let w = start; w < end; w++) b = Math.imul(((b << 5) | (b >>> 27)) ^ weightBits[w], MUL_B);
  }
  return finalize(a ^ Math.imul((b << 16) | (b >>> 16), 0x27d4eb2f));
}

/** murmur3's fmix32: every input bit reaches every output bit, so the table's low bits are good. */
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
  const allWords = group.words;
  const allDoubles = group.idDoubles;
  const allOffsets = group.offsets;
  const allWeightBits = group.weightBits;
  for (let k = 0; k < allWords.length; k++) {
    const offsets = allOffsets[k];
    const startA = offsets[a];
    const startB = offsets[b];
    const length = offsets[a + 1] - startA;
    if (length !== offsets[b + 1] - startB) return false;
    const doubles = allDoubles[k];
    if (doubles !== undefined) {
      if (!sameIds(doubles, allWords[k], startA, startB, length)) return false;
    } else if (!sameWords(allWords[k], startA * wordsPerValue, startB * wordsPerValue, length * wordsPerValue)) {
      return false;
    }
    const weightBits = allWeightBits[k];
    if (weightBits !== undefined && !sameWords(weightBits, startA, startB, length)) return false;
  }
  return true;
}

function sameWords(words: Int32Array, a: number, b: number, count: number): boolean {
  for (let j = 0; j < count; j++) if (words[a + j] !== words[b + j]) return false;
  return true;
}

/**
 * `count` int64 ids from `a` and from `b` are bit-identical. Two doubles that compare equal and are
 * not zero have the same bits, so one compare settles most ids; zeros (+0 equals -0) and NaNs
 * (never equal) are settled on their two 32-bit words.
 */
function sameIds(doubles: Float64Array, words: Int32Array, a: number, b: number, count: number): boolean {
  let j = 0;
  for (; j + 1 < count; j += 2) {
    const x = doubles[a + j];
    const y = doubles[a + j + 1];
    if (x !== doubles[b + j] || y !== doubles[b + j + 1] || x === 0 || y === 0) {
      if (!sameWords(words, 2 * (a + j), 2 * (b + j), 4)) return false;
    }
  }
  if (j < count) {
    const x = doubles[a + j];
    if ((x !== doubles[b + j] || x === 0) && !sameWords(words, 2 * (a + j), 2 * (b + j), 2)) return false;
  }
  return true;
}
