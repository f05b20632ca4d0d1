/**
 * A cheap proof that the rows of a dedup group are all distinct, before the exact deduplication
 * hashes every word of every row. Each row gets a short fingerprint (per key: the length, the
 * first two and the last two ids); equal rows have equal fingerprints, so when no two
 * fingerprints are equal no two rows are, and the deduplication would return every row as unique
 * with the identity inverse. When fingerprints collide (real duplicates, or rows that differ only
 * in the middle) this says nothing and the caller deduplicates in full.
 *
 * This is the common case of a batch with one sample per session (nothing to deduplicate), where
 * the full hash would read every id of every user history.
 */
import type { RowDeduper } from '@recd/core';

type GroupWords = Parameters<RowDeduper['dedup']>[0];

export class DistinctRows {
  #table = new Int32Array(0);
  #used = new Uint8Array(0);

  /** True when the rows are pairwise distinct (proved); false when that is not known. */
  provablyDistinct(group: GroupWords): boolean {
    const rows = group.rows;
    let size = 16;
    while (size < 2 * rows) size *= 2;
    if (this.#table.length < size) {
      this.#table = new Int32Array(size);
      this.#used = new Uint8Array(size);
    }
    const table = this.#table;
    const used = this.#used;
    used.fill(0, 0, size);
    const mask = size - 1;
    for (let row = 0; row < rows; row++) {
      const print = fingerprint(group, row);
      let slot = print & mask;
      while (used[slot] === 1) {
        if (table[slot] === print) return false;
        slot = (slot + 1) & mask;
      }
      used[slot] = 1;
      table[slot] = print;
    }
    return true;
  }
}

function fingerprint(group: GroupWords, row: number): number {
  const w = group.wordsPerValue;
  let h = 0x2545f491;
  for (let k = 0; k < group.words.length; k++) {
    const words = group.words[k];
    const offsets = group.offsets[k];
    const start = offsets[row] * w;
    const end = offsets[row + 1] * w;
    h = Math.imul(((h << 5) | (h >>> 27)) ^ (end - start), 0x9e3779b1);
    // the first two and the last two ids (fewer when the row is shorter), as words
    const head = Math.min(end, start + 2 * w);
    for (let j = start; j < head; j++) h = Math.imul(((h << 5) | (h >>> 27)) ^ words[j], 0x9e3779b1);
    for (let j = Math.max(head, end - 2 * w); j < end; j++) h = Math.imul(((h << 5) | (h >>> 27)) ^ words[j], 0x9e3779b1);
    const weights = group.weightBits[k];
    if (weights !== undefined) for (let j = offsets[row]; j < offsets[row + 1]; j++) h = Math.imul(((h << 5) | (h >>> 27)) ^ weights[j], 0x9e3779b1);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return h;
}
