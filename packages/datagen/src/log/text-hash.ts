/**
 * A 64-bit hash of a text, written as two 32-bit words, for categorical values that are not
 * integers (yoochoose's category "S", brand codes). Two differently seeded 32-bit FNV-1a style
 * hashes with a murmur finalizer; stable across runs and machines.
 */
export function hashText64(text: string, words: Int32Array, wordIndex: number): void {
  let low = 0x811c9dc5 | 0;
  let high = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    low = Math.imul(low ^ code, 0x01000193);
    high = Math.imul(high ^ code, 0x000193a7) + i;
  }
  words[wordIndex] = finalize(low);
  words[wordIndex + 1] = finalize(high ^ text.length);
}

function finalize(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
