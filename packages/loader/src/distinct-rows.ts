/**
 * Exact row deduplication keyed by a short fingerprint, for the segments of a batch (about one row
 * per session, mostly distinct). Each row gets a fingerprint (per key: the length, the first two,
 * middle and last two ids; see `fingerprints`) instead of a hash of every id; rows whose fingerprints match are
 * compared in full before they are merged, so the result is the exact deduplication (RowDeduper's:
 * the same unique rows in first-occurrence order, the same inverse) while a row is read whole only
 * when its fingerprint meets another's.
 *
 * Most rows are distinct (always so at one sample per session), and then this costs a few reads
 * per row instead of a hash of every id of every user history. Rows that differ only between the
 * fingerprinted ids (a user's sliding history whose ends repeat a favourite item) cost one full
 * comparison each, stopped at the first difference. When such misses pile up (more than
 * `rows / 8 + 16`: an adversarial batch) `dedup` gives up and the caller uses RowDeduper.
 */
import type { RowDeduper } from '@recd/core';

type GroupWords = Parameters<RowDeduper['dedup']>[0];

export interface FingerprintDedup {
  /** Unique rows, in first-occurrence order: `uniqueRows[0 .. unique)` are their row indices. */
  unique: number;
  uniqueRows: Int32Array;
  /** For every row, its unique row (a scratch array, valid until the next call). */
  inverse: Int32Array;
}

export class FingerprintDeduper {
  /** Slot -> unique row index + 1 (0: empty). */
  #table = new Int32Array(0);
  #prints = new Int32Array(0);
  #uniquePrint = new Int32Array(0);
  #uniqueRows = new Int32Array(0);
  #inverse = new Int32Array(0);

  /**
   * The exact deduplication of the group's rows, or undefined when fingerprints collide too often.
   * `singles[k]`: key k holds exactly one id per row, row r's at word r (offsets 0, 1, 2, ...).
   */
  dedup(group: GroupWords, singles?: readonly boolean[]): FingerprintDedup | undefined {
    const rows = group.rows;
    this.#reserve(rows);
    let size = 16;
    while (size < 2 * rows) size *= 2;
    const table = this.#table;
    table.fill(0, 0, size);
    fingerprints(group, this.#prints, singles);
    const unique = dedupByFingerprint(group, this.#prints, table, size - 1, this.#uniquePrint, this.#uniqueRows, this.#inverse, (rows >> 3) + 16);
    return unique < 0 ? undefined : { unique, uniqueRows: this.#uniqueRows, inverse: this.#inverse };
  }

  #reserve(rows: number): void {
    if (this.#inverse.length >= rows) return;
    let capacity = 16;
    while (capacity < rows) capacity *= 2;
    this.#table = new Int32Array(2 * capacity);
    this.#prints = new Int32Array(capacity);
    this.#uniquePrint = new Int32Array(capacity);
    this.#uniqueRows = new Int32Array(capacity);
    this.#inverse = new Int32Array(capacity);
  }
}

/** The hot loop, a function of its own (stable type feedback); -1 after more than `maxMisses` fingerprint matches of different rows. */
function dedupByFingerprint(
  group: GroupWords,
  prints: Int32Array,
  table: Int32Array,
  mask: number,
  uniquePrint: Int32Array,
  uniqueRows: Int32Array,
  inverse: Int32Array,
  maxMisses: number,
): number {
  let unique = 0;
  let misses = 0;
  for (let row = 0; row < group.rows; row++) {
    const print = prints[row];
    let slot = print & mask;
    let found = -1;
    for (let entry = table[slot]; entry !== 0; entry = table[slot]) {
      if (uniquePrint[entry - 1] === print) {
        if (rowsEqual(group, uniqueRows[entry - 1], row)) {
          found = entry - 1;
          break;
        }
        if (++misses > maxMisses) return -1;
      }
      slot = (slot + 1) & mask;
    }
    if (found === -1) {
      found = unique++;
      table[slot] = found + 1;
      uniquePrint[found] = print;
      uniqueRows[found] = row;
    }
    inverse[row] = found;
  }
  return unique;
}

/**
 * Each row's fingerprint into `out[0 .. rows)`: per key, the length, the first two, the middle and
 * the last two ids (some read twice in short rows: equal rows still print equal), and the weights.
 * Computed key by key, a column at a time, which runs several times faster than row by row.
 */
export function fingerprints(group: GroupWords, out: Int32Array, singles?: readonly boolean[]): void {
  const rows = group.rows;
  out.fill(0x2545f491, 0, rows);
  for (let k = 0; k < group.words.length; k++) {
    if (singles?.[k] === true && group.wordsPerValue === 1) printSingles(group.words[k], rows, out);
    else printKey(group.words[k], group.offsets[k], rows, group.wordsPerValue, out);
    const weights = group.weightBits[k];
    if (weights !== undefined) printWeights(weights, group.offsets[k], rows, out);
  }
  for (let row = 0; row < rows; row++) {
    let h = out[row];
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    out[row] = h ^ (h >>> 13);
  }
}

/** printKey for a key of one int32 id per row, row r's at words[r]: the same fingerprint, without reading offsets. */
function printSingles(words: Int32Array, rows: number, out: Int32Array): void {
  for (let row = 0; row < rows; row++) {
    let h = out[row];
    h = Math.imul(((h << 5) | (h >>> 27)) ^ 1, 0x9e3779b1);
    out[row] = Math.imul(((h << 5) | (h >>> 27)) ^ words[row], 0x9e3779b1);
  }
}

function printKey(words: Int32Array, offsets: Int32Array, rows: number, w: number, out: Int32Array): void {
  if (w !== 1) {
    printWideKey(words, offsets, rows, w, out);
    return;
  }
  for (let row = 0; row < rows; row++) {
    const start = offsets[row];
    const end = offsets[row + 1];
    const length = end - start;
    let h = out[row];
    h = Math.imul(((h << 5) | (h >>> 27)) ^ length, 0x9e3779b1);
    if (length === 1) {
      h = Math.imul(((h << 5) | (h >>> 27)) ^ words[start], 0x9e3779b1);
    } else if (length > 1) {
      h = Math.imul(((h << 5) | (h >>> 27)) ^ words[start], 0x9e3779b1);
      h = Math.imul(((h << 5) | (h >>> 27)) ^ words[start + 1], 0x9e3779b1);
      h = Math.imul(((h << 5) | (h >>> 27)) ^ words[start + (length >> 1)], 0x9e3779b1);
      h = Math.imul(((h << 5) | (h >>> 27)) ^ words[end - 2], 0x9e3779b1);
      h = Math.imul(((h << 5) | (h >>> 27)) ^ words[end - 1], 0x9e3779b1);
    }
    out[row] = h;
  }
}

/** printKey for ids of `w` words each (int64: 2). */
function printWideKey(words: Int32Array, offsets: Int32Array, rows: number, w: number, out: Int32Array): void {
  for (let row = 0; row < rows; row++) {
    const length = offsets[row + 1] - offsets[row];
    let h = out[row];
    h = Math.imul(((h << 5) | (h >>> 27)) ^ length, 0x9e3779b1);
    if (length > 0) {
      const start = offsets[row] * w;
      const positions = [start, start + Math.min(1, length - 1) * w, start + (length >> 1) * w, start + Math.max(0, length - 2) * w, start + (length - 1) * w];
      for (const at of positions) for (let j = 0; j < w; j++) h = Math.imul(((h << 5) | (h >>> 27)) ^ words[at + j], 0x9e3779b1);
    }
    out[row] = h;
  }
}

function printWeights(weights: Int32Array, offsets: Int32Array, rows: number, out: Int32Array): void {
  for (let row = 0; row < rows; row++) {
    let h = out[row];
    for (let j = offsets[row]; j < offsets[row + 1]; j++) h = Math.imul(((h << 5) | (h >>> 27)) ^ weights[j], 0x9e3779b1);
    out[row] = h;
  }
}

/** Rows a and b equal in every key: lengths, id words and weight bits. */
function rowsEqual(group: GroupWords, a: number, b: number): boolean {
  const w = group.wordsPerValue;
  for (let k = 0; k < group.words.length; k++) {
    const words = group.words[k];
    const offsets = group.offsets[k];
    const startA = offsets[a];
    const startB = offsets[b];
    const length = offsets[a + 1] - startA;
    if (length !== offsets[b + 1] - startB) return false;
    for (let j = 0; j < length * w; j++) if (words[startA * w + j] !== words[startB * w + j]) return false;
    const weights = group.weightBits[k];
    if (weights !== undefined) for (let j = 0; j < length; j++) if (weights[startA + j] !== weights[startB + j]) return false;
  }
  return true;
}
