/**
 * A stable LSD radix sort of element indexes by keys given as unsigned 32-bit words, least
 * significant word first: `words[w][e]` is word w of element e's key. Eight bits per pass; a pass
 * whose digit is the same for every element is skipped, so key words that barely vary (the high
 * words of ids and times) cost one counting pass. Ties keep their order in `order`, so starting
 * from the identity the sort is stable by element index.
 *
 * Sessionizing sorts events by (user, session, time, log position) this way rather than with a
 * comparator (the comparator sort is the naive twin tests compare against).
 */
export function radixSortIndexes(order: Int32Array, words: readonly Uint32Array[]): Int32Array {
  const sorted = radixPasses(order, words);
  if (sorted !== order) order.set(sorted);
  return order;
}

/*
 * V8 note for the helpers below: each long loop sits in a function with nothing after it but a
 * return. Code compiled while a loop runs (on-stack replacement) is reused at the next call, and
 * a statement after the loop that had not run yet made that code deoptimize at every call.
 */

/** The passes of radixSortIndexes: returns the array (`order` or a scratch one) that holds the sorted indexes. */
function radixPasses(order: Int32Array, words: readonly Uint32Array[]): Int32Array {
  const n = order.length;
  let from: Int32Array = order;
  let to: Int32Array = new Int32Array(n);
  const counts = new Int32Array(4 * 256);
  for (const word of words) {
    countDigits(word, n, counts);
    for (let pass = 0; pass < 4; pass++) {
      const base = 256 * pass;
      const shift = 8 * pass;
      if (n === 0 || counts[base + ((word[from[0]] >>> shift) & 255)] === n) continue; // one digit: nothing moves
      scatterByDigit(word, from, to, counts, base, shift);
      const swap = from;
      from = to;
      to = swap;
    }
  }
  return from;
}

/** The count of each byte value of each of the 4 bytes of the words. */
function countDigits(word: Uint32Array, n: number, counts: Int32Array): void {
  counts.fill(0);
  for (let e = 0; e < n; e++) {
    const value = word[e];
    counts[value & 255]++;
    counts[256 + ((value >>> 8) & 255)]++;
    counts[512 + ((value >>> 16) & 255)]++;
    counts[768 + (value >>> 24)]++;
  }
}

/** One stable pass: `from`'s elements into `to` by the byte at `shift` (its counts at `base`, turned into starts). */
function scatterByDigit(word: Uint32Array, from: Int32Array, to: Int32Array, counts: Int32Array, base: number, shift: number): void {
  let sum = 0;
  for (let digit = 0; digit < 256; digit++) {
    const count = counts[base + digit];
    counts[base + digit] = sum;
    sum += count;
  }
  for (let k = 0; k < from.length; k++) {
    const e = from[k];
    to[counts[base + ((word[e] >>> shift) & 255)]++] = e;
  }
}

/** Unsigned words that order like signed int64 values (word view `words`, element e at 2e, 2e + 1): low, high. */
export function int64KeyWords(words: Int32Array, n: number): [Uint32Array, Uint32Array] {
  const low = new Uint32Array(n);
  const high = new Uint32Array(n);
  fillInt64KeyWords(words, n, low, high);
  return [low, high];
}

function fillInt64KeyWords(words: Int32Array, n: number, low: Uint32Array, high: Uint32Array): void {
  for (let e = 0; e < n; e++) {
    low[e] = words[2 * e];
    high[e] = words[2 * e + 1] ^ 0x80000000;
  }
}

/** Unsigned words that order like the float64 values (finite or infinite, -0 as +0; not NaN): low, high. */
export function float64KeyWords(values: Float64Array): [Uint32Array, Uint32Array] {
  const n = values.length;
  const normalized = new Float64Array(n);
  normalizeZeros(values, normalized);
  const low = new Uint32Array(n);
  const high = new Uint32Array(n);
  fillFloat64KeyWords(new Uint32Array(normalized.buffer), n, low, high);
  return [low, high];
}

function normalizeZeros(values: Float64Array, normalized: Float64Array): void {
  for (let e = 0; e < values.length; e++) normalized[e] = values[e] + 0; // -0 + 0 is +0: the comparator sees them equal
}

function fillFloat64KeyWords(bits: Uint32Array, n: number, low: Uint32Array, high: Uint32Array): void {
  for (let e = 0; e < n; e++) {
    const hi = bits[2 * e + 1];
    const negative = hi >>> 31 === 1;
    low[e] = negative ? ~bits[2 * e] : bits[2 * e];
    high[e] = negative ? ~hi : hi ^ 0x80000000;
  }
}
