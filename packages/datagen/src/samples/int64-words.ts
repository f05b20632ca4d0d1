/** Signed 64-bit comparisons and hashes on the word view of a BigInt64Array (no BigInt). */

/** -1, 0 or 1 as a[i] is less than, equal to or greater than b[j] (as signed 64-bit integers). */
export function compareInt64(a: Int32Array, i: number, b: Int32Array, j: number): number {
  const highA = a[2 * i + 1];
  const highB = b[2 * j + 1];
  if (highA !== highB) return highA < highB ? -1 : 1;
  const lowA = a[2 * i] >>> 0;
  const lowB = b[2 * j] >>> 0;
  return lowA === lowB ? 0 : lowA < lowB ? -1 : 1;
}

/** A well-mixed 32-bit hash of a[i] (and a seed). */
export function hashInt64(a: Int32Array, i: number, seed = 0): number {
  let h = Math.imul(a[2 * i] ^ seed, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h, 0x1b873593) ^ Math.imul(a[2 * i + 1] + 0x6b43a9b5, 0x85ebca6b);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Mixes further words into a 32-bit hash. */
export function mixHash(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}
