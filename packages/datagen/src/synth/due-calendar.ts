/**
 * The live-session slots ordered by the time of each slot's next row: a calendar queue (a ring of
 * time buckets; Brown, CACM 1988) specialized to this timeline, where a slot is taken out only at
 * the front and put back no earlier than the front. Popping the earliest due slot is how the
 * timeline picks which live session writes the next row.
 *
 * A binary heap did the same at ~900 instructions per row for 10,000 slots, a quarter of the
 * generator's work; here a row costs a bucket push and a share of sorting a bucket of ~4.
 * Buckets are `bucketWidth` ms wide (chosen so a bucket holds a few slots); the ring covers
 * `buckets * bucketWidth` ms, and a slot due beyond that waits in a small binary heap until the
 * ring reaches it. Within a bucket, slots are taken in (time, slot) order, so the result is
 * deterministic. Memory: a few numbers per slot and one per bucket; no allocation after construction.
 */
import { DueQueue } from './due-queue';
// Bound once per module: in a vm context (jest) every lookup of a global such as `Math` costs ~0.4 µs.
const { floor } = Math;

const NONE = -1;
/** Buckets sorted by insertion; larger ones by the native typed-array sort. */
const INSERTION_SORT_LIMIT = 16;

export class DueCalendar {
  readonly #capacity: number;
  readonly #width: number;
  readonly #mask: number;
  /** Due time of each slot. */
  readonly #due: Float64Array;
  /** Next slot in the same bucket, or NONE. */
  readonly #next: Int32Array;
  /** First slot of each ring bucket, or NONE. */
  readonly #heads: Int32Array;
  /** Slots due far beyond the ring. */
  readonly #overflow: DueQueue;
  /**
   * The current bucket, sorted: key = (due - bucket start) * capacity + slot, so sorting keys
   * sorts by (time, slot), and `key % capacity` is the slot.
   */
  readonly #ready: Float64Array;
  #readyStart = 0;
  #readyEnd = 0;
  /** Absolute number (time / width) of the current bucket, and its index in the ring. */
  #cursor: number;
  #cursorRing = 0;
  /** Slots in ring buckets (not in the current bucket, not in overflow). */
  #inRing = 0;
  #size = 0;

  /**
   * `capacity` slots, buckets of `bucketWidth` ms, a ring of `buckets` (a power of two). No slot
   * is ever due before `startTime`.
   */
  constructor(capacity: number, bucketWidth: number, buckets: number, startTime: number) {
    if (!Number.isInteger(bucketWidth) || bucketWidth < 1) {
      throw new RangeError(`bucketWidth must be a positive integer, got ${bucketWidth}`);
    }
    if (!(buckets >= 2 && (buckets & (buckets - 1)) === 0)) {
      throw new RangeError(`buckets must be a power of two >= 2, got ${buckets}`);
    }
    this.#capacity = capacity;
    this.#width = bucketWidth;
    this.#mask = buckets - 1;
    this.#due = new Float64Array(capacity);
    this.#next = new Int32Array(capacity);
    this.#heads = new Int32Array(buckets).fill(NONE);
    this.#overflow = new DueQueue(capacity);
    this.#ready = new Float64Array(capacity);
    this.#cursor = floor(startTime / bucketWidth);
  }

  get size(): number {
    return this.#size;
  }

  /** The earliest due slot; only meaningful when size > 0. */
  get topSlot(): number {
    if (this.#readyStart === this.#readyEnd) this.#advance();
    const key = this.#ready[this.#readyStart];
    return key - floor(key / this.#capacity) * this.#capacity;
  }

  get topTime(): number {
    return this.#due[this.topSlot];
  }

  /** When `slot` is due (the time it was last pushed or rescheduled with). */
  dueTime(slot: number): number {
    return this.#due[slot];
  }

  /** Adds a slot that is not in the queue, due no earlier than the current top. */
  push(time: number, slot: number): void {
    this.#place(time, slot);
    this.#size++;
  }

  /** Gives the earliest slot a new due time, no earlier than its current one. */
  rescheduleTop(time: number): void {
    const slot = this.topSlot;
    this.#readyStart++;
    this.#place(time, slot);
  }

  /** Removes the earliest slot. */
  pop(): void {
    if (this.#readyStart === this.#readyEnd) this.#advance();
    this.#readyStart++;
    this.#size--;
  }

  #place(time: number, slot: number): void {
    this.#due[slot] = time;
    const ahead = floor(time / this.#width) - this.#cursor;
    if (ahead === 0) {
      this.#insertReady(time, slot);
    } else if (ahead < 0) {
      const bucketStart = this.#cursor * this.#width;
      throw new RangeError(`DueCalendar: slot ${slot} due at ${time}, before the current bucket (from ${bucketStart})`);
    } else if (ahead <= this.#mask) {
      const ring = (this.#cursorRing + ahead) & this.#mask;
      this.#next[slot] = this.#heads[ring];
      this.#heads[ring] = slot;
      this.#inRing++;
    } else {
      this.#overflow.push(time, slot);
    }
  }

  /** Into the current bucket, keeping it sorted (the new key is usually the largest). */
  #insertReady(time: number, slot: number): void {
    const ready = this.#ready;
    const key = this.#keyOf(time, slot);
    if (this.#readyStart === this.#readyEnd) {
      this.#readyStart = this.#readyEnd = 0;
    } else if (this.#readyEnd === ready.length) {
      ready.copyWithin(0, this.#readyStart, this.#readyEnd);
      this.#readyEnd -= this.#readyStart;
      this.#readyStart = 0;
    }
    let at = this.#readyEnd++;
    while (at > this.#readyStart && ready[at - 1] > key) {
      ready[at] = ready[at - 1];
      at--;
    }
    ready[at] = key;
  }

  /** Moves the cursor to the next non-empty bucket and sorts it into `ready`. */
  #advance(): void {
    this.#readyStart = this.#readyEnd = 0;
    while (this.#readyEnd === 0 && this.#size > 0) {
      if (this.#inRing === 0) {
        if (this.#overflow.size === 0) throw new Error(`DueCalendar lost track of its ${this.#size} slots`);
        // Nothing in the ring: jump straight to the first overflow bucket.
        const target = floor(this.#overflow.topTime / this.#width);
        this.#cursorRing = (this.#cursorRing + ((target - this.#cursor) % (this.#mask + 1))) & this.#mask;
        this.#cursor = target;
      } else {
        this.#cursor++;
        this.#cursorRing = (this.#cursorRing + 1) & this.#mask;
      }
      this.#migrateOverflow();
      this.#collectBucket();
    }
  }

  /** Overflow slots that the ring now covers go into their buckets (or the current one). */
  #migrateOverflow(): void {
    const overflow = this.#overflow;
    while (overflow.size > 0 && floor(overflow.topTime / this.#width) - this.#cursor <= this.#mask) {
      const time = overflow.topTime;
      const slot = overflow.topSlot;
      overflow.pop();
      this.#place(time, slot);
    }
  }

  #collectBucket(): void {
    const ready = this.#ready;
    let end = this.#readyEnd;
    let slot = this.#heads[this.#cursorRing];
    this.#heads[this.#cursorRing] = NONE;
    while (slot !== NONE) {
      ready[end++] = this.#keyOf(this.#due[slot], slot);
      this.#inRing--;
      slot = this.#next[slot];
    }
    this.#readyEnd = end;
    if (end > INSERTION_SORT_LIMIT) {
      ready.subarray(0, end).sort();
      return;
    }
    for (let i = 1; i < end; i++) {
      const key = ready[i];
      let at = i;
      while (at > 0 && ready[at - 1] > key) {
        ready[at] = ready[at - 1];
        at--;
      }
      ready[at] = key;
    }
  }

  #keyOf(time: number, slot: number): number {
    return (time - this.#cursor * this.#width) * this.#capacity + slot;
  }
}
