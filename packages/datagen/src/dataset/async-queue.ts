/**
 * A queue between an event source (a worker's messages) and one async consumer: `push` never
 * blocks, `next` waits for an item; after `fail`, `next` rejects once the items before the failure
 * are taken. Flow control is the consumer's job (it asks the source for more only when ready).
 */
export class AsyncQueue<T> {
  readonly #items: T[] = [];
  #head = 0;
  #failure: { error: unknown } | undefined;
  #waiter: { resolve: (item: T) => void; reject: (error: unknown) => void } | undefined;

  push(item: T): void {
    if (this.#failure) return;
    if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter.resolve(item);
    } else {
      this.#items.push(item);
    }
  }

  /** Ends the queue with an error; the first failure wins. */
  fail(error: unknown): void {
    if (this.#failure) return;
    this.#failure = { error };
    if (this.#waiter) {
      const waiter = this.#waiter;
      this.#waiter = undefined;
      waiter.reject(error);
    }
  }

  next(): Promise<T> {
    if (this.#head < this.#items.length) {
      const item = this.#items[this.#head];
      this.#items[this.#head++] = undefined as T;
      if (this.#head === this.#items.length) {
        this.#items.length = 0;
        this.#head = 0;
      }
      return Promise.resolve(item);
    }
    if (this.#failure) return Promise.reject(this.#failure.error);
    return new Promise<T>((resolve, reject) => {
      this.#waiter = { resolve, reject };
    });
  }
}
