import { Rng } from '@recd/core';

/**
 * A seeded reservoir sample of the items in the log (with repeats, so popular items are drawn
 * more often): where next-item labels draw their negatives. It depends only on the log's rows
 * and the seed, not on partitioning or memory, so every run draws the same negatives.
 */
export class NegativePool {
  readonly #capacity: number;
  readonly #rng: Rng;
  #words: Int32Array;
  #size = 0;
  #seen = 0;

  constructor(capacity: number, seed: number) {
    this.#capacity = capacity;
    this.#rng = new Rng(seed ^ 0x4e454741);
    this.#words = new Int32Array(2 * capacity);
  }

  /** Offers items `from .. to` of an int64 word array. */
  offer(itemWords: Int32Array, from: number, to: number): void {
    for (let i = from; i < to; i++) {
      this.#seen++;
      let slot = this.#size;
      if (this.#size < this.#capacity) this.#size++;
      else {
        slot = Math.floor(this.#rng.nextFloat() * this.#seen);
        if (slot >= this.#capacity) continue;
      }
      this.#words[2 * slot] = itemWords[2 * i];
      this.#words[2 * slot + 1] = itemWords[2 * i + 1];
    }
  }

  /** The pool as int64 words. */
  words(): Int32Array {
    return this.#words.subarray(0, 2 * this.#size);
  }
}
