/**
 * A binary min-heap of slots keyed by due time. The calendar (due-calendar.ts) keeps here the
 * few slots due beyond its ring of buckets. Each entry is (time, slot) side by side in one
 * Float64Array, so a level of the heap is one cache line; no allocation after construction.
 */
export class DueQueue {
  /** [time0, slot0, time1, slot1, ...] */
  readonly #entries: Float64Array;
  #size = 0;

  constructor(capacity: number) {
    this.#entries = new Float64Array(2 * capacity);
  }

  get size(): number {
    return this.#size;
  }

  /** Time of the earliest due slot; only meaningful when size > 0. */
  get topTime(): number {
    return this.#entries[0];
  }

  get topSlot(): number {
    return this.#entries[1];
  }

  push(time: number, slot: number): void {
    if (2 * this.#size === this.#entries.length) throw new RangeError(`DueQueue is full (capacity ${this.#entries.length / 2})`);
    this.#siftUp(this.#size++, time, slot);
  }

  /** Gives the earliest slot a new due time (the common case: its session goes on). */
  rescheduleTop(time: number): void {
    this.#siftDown(0, time, this.#entries[1]);
  }

  /** Removes the earliest slot. */
  pop(): void {
    const last = --this.#size;
    if (last > 0) this.#siftDown(0, this.#entries[2 * last], this.#entries[2 * last + 1]);
  }

  #siftUp(hole: number, time: number, slot: number): void {
    const entries = this.#entries;
    while (hole > 0) {
      const parent = (hole - 1) >> 1;
      if (entries[2 * parent] <= time) break;
      entries[2 * hole] = entries[2 * parent];
      entries[2 * hole + 1] = entries[2 * parent + 1];
      hole = parent;
    }
    entries[2 * hole] = time;
    entries[2 * hole + 1] = slot;
  }

  #siftDown(hole: number, time: number, slot: number): void {
    const entries = this.#entries;
    const size = this.#size;
    for (;;) {
      let child = 2 * hole + 1;
      if (child >= size) break;
      if (child + 1 < size && entries[2 * child + 2] < entries[2 * child]) child++;
      if (entries[2 * child] >= time) break;
      entries[2 * hole] = entries[2 * child];
      entries[2 * hole + 1] = entries[2 * child + 1];
      hole = child;
    }
    entries[2 * hole] = time;
    entries[2 * hole + 1] = slot;
  }
}
