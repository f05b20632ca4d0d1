/**
 * The concurrency limiter behind prefetching: p-queue. p-queue 9 is ESM-only; Node >= 20.19 loads
 * it through `require` (require(esm)). A runtime that cannot (Jest's module sandbox without a
 * transform for node_modules ESM) gets `LimitQueue`, the same contract in a few lines, and
 * `describe()` says which one runs.
 */

export interface TaskQueue {
  /** Runs `task` when fewer than `concurrency` tasks are running; settles with its result. */
  add<T>(task: () => Promise<T>): Promise<T>;
  /** Drops tasks not started yet (their promises never settle; nothing waits on them). */
  clear(): void;
  readonly name: 'p-queue' | 'builtin';
}

type PQueueClass = new (options: { concurrency: number }) => { add<T>(task: () => Promise<T>): Promise<T>; clear(): void };

let pQueue: PQueueClass | null | undefined;

function loadPQueue(): PQueueClass | null {
  if (pQueue === undefined) {
    try {
      pQueue = (require('p-queue') as { default: PQueueClass }).default;
    } catch (error) {
      if (!isEsmLoadFailure(error)) throw error;
      pQueue = null;
    }
  }
  return pQueue;
}

function isEsmLoadFailure(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === 'ERR_REQUIRE_ESM' || code === 'ERR_REQUIRE_ASYNC_MODULE' || /ES Module|import statement outside a module/i.test(message ?? '');
}

export function createTaskQueue(concurrency: number): TaskQueue {
  const PQueue = loadPQueue();
  if (PQueue === null) return new LimitQueue(concurrency);
  const queue = new PQueue({ concurrency });
  return { add: (task) => queue.add(task), clear: () => queue.clear(), name: 'p-queue' };
}

/** First in, first out, at most `concurrency` running: what the loader needs of p-queue. */
export class LimitQueue implements TaskQueue {
  readonly name = 'builtin';
  readonly #concurrency: number;
  readonly #waiting: Array<() => void> = [];
  #running = 0;

  constructor(concurrency: number) {
    this.#concurrency = concurrency;
  }

  add<T>(task: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = (): void => {
        this.#running++;
        task()
          .then(resolve, reject)
          .finally(() => {
            this.#running--;
            this.#waiting.shift()?.();
          });
      };
      if (this.#running < this.#concurrency) start();
      else this.#waiting.push(start);
    });
  }

  clear(): void {
    this.#waiting.length = 0;
  }
}

/** Which limiter `createTaskQueue` gives in this runtime. */
export function taskQueueName(): TaskQueue['name'] {
  return loadPQueue() === null ? 'builtin' : 'p-queue';
}
