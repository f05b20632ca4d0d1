import { TaskQueue } from './task-queue';

/**
 * Loads items 0 .. count-1 ahead of the consumer and hands them out in order. At most `depth`
 * items are loading or loaded and not yet taken (backpressure: nothing more starts until the
 * consumer takes one), and the task queue runs at most its concurrency at once. A failed load
 * rejects when its turn comes, so items before it are still delivered.
 */
export class Prefetcher<T> {
  readonly #count: number;
  readonly #load: (index: number) => Promise<T>;
  readonly #queue: TaskQueue;
  readonly #depth: number;
  readonly #ahead: Promise<T>[] = [];
  #scheduled = 0;
  #taken = 0;
  #closed = false;

  constructor(count: number, load: (index: number) => Promise<T>, queue: TaskQueue, depth: number) {
    this.#count = count;
    this.#load = load;
    this.#queue = queue;
    this.#depth = depth;
  }

  /** The next item, or undefined after the last. */
  async next(): Promise<T | undefined> {
    if (this.#closed || this.#taken === this.#count) return undefined;
    this.#fill();
    const item = this.#ahead.shift()!;
    this.#taken++;
    this.#fill();
    return item;
  }

  /** Starts nothing more; loads not started are dropped, running ones finish and are discarded. */
  close(): void {
    this.#closed = true;
    this.#queue.clear();
    this.#ahead.length = 0;
  }

  #fill(): void {
    while (!this.#closed && this.#scheduled < this.#count && this.#scheduled - this.#taken < this.#depth) {
      const index = this.#scheduled++;
      const promise = this.#queue.add(() => this.#load(index));
      promise.catch(() => undefined); // observed when taken; a dropped one must not be an unhandled rejection
      this.#ahead.push(promise);
    }
  }
}
