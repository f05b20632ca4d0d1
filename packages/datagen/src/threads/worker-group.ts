import { Worker } from 'node:worker_threads';
import { RecdError } from '@recd/core';

/** What a worker answers a request with: the request's id, and an error message when it failed. */
export interface WorkerAnswer {
  id: number;
  error?: string;
}

interface GroupWorker<A> {
  worker: Worker;
  pending: Map<number, { resolve: (answer: A) => void; reject: (error: Error) => void }>;
}

/**
 * Worker threads that answer requests by id (the encoder and sample generation pools). A request
 * goes to the worker with the fewest out; a worker keeps the process alive only while it owes an
 * answer. An answer with `error` rejects its request (`${what} failed: error`); a worker that
 * fails or exits fails every request out, and all later ones. Workers start on first use.
 */
export class WorkerGroup<A extends WorkerAnswer> {
  readonly threads: number;
  readonly #startWorker: () => Worker;
  readonly #what: string;
  readonly #onFailure: (error: Error) => void;
  #workers: GroupWorker<A>[] | undefined;
  #nextId = 0;
  #closed = false;
  /** The first failure of a worker; every request after it fails with it. */
  failure: Error | undefined;

  /** `what` names the work in errors (`encoding a Parquet row group`); `onFailure` runs once a worker is lost. */
  constructor(threads: number, startWorker: () => Worker, what: string, onFailure: (error: Error) => void = () => {}) {
    if (!(Number.isInteger(threads) && threads >= 1)) throw new RecdError(`${what}: expected a positive number of threads, got ${threads}`);
    this.threads = threads;
    this.#startWorker = startWorker;
    this.#what = what;
    this.#onFailure = onFailure;
  }

  /** Requests out and not yet answered. */
  get outstanding(): number {
    return (this.#workers ?? []).reduce((sum, { pending }) => sum + pending.size, 0);
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Posts `request(id)` (with `transfer`) to a worker; resolves to its answer. */
  send(request: (id: number) => unknown, transfer: ArrayBuffer[]): Promise<A> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.#closed) return Promise.reject(new RecdError(`${this.#what}: the threads are closed`));
    const workers = (this.#workers ??= Array.from({ length: this.threads }, () => this.#start()));
    const target = workers.reduce((best, worker) => (worker.pending.size < best.pending.size ? worker : best));
    const id = this.#nextId++;
    return new Promise<A>((resolve, reject) => {
      target.pending.set(id, { resolve, reject });
      target.worker.ref();
      target.worker.postMessage(request(id), transfer);
    });
  }

  /** Ends the workers; requests still out are rejected. */
  async close(): Promise<void> {
    this.#closed = true;
    const workers = this.#workers ?? [];
    this.#workers = undefined;
    this.#fail(workers, new RecdError(`${this.#what}: the threads are closed`));
    await Promise.all(workers.map(({ worker }) => worker.terminate()));
  }

  #start(): GroupWorker<A> {
    const worker = this.#startWorker();
    worker.unref();
    const entry: GroupWorker<A> = { worker, pending: new Map() };
    worker.on('message', (answer: A) => {
      const pending = entry.pending.get(answer.id);
      if (!pending) return;
      entry.pending.delete(answer.id);
      if (entry.pending.size === 0) worker.unref();
      if (answer.error !== undefined) pending.reject(new RecdError(`${this.#what} failed: ${answer.error}`));
      else pending.resolve(answer);
    });
    const lost = (reason: string): void => {
      const first = this.failure === undefined;
      this.failure ??= new RecdError(`a thread ${this.#what} ${reason}`);
      this.#fail(this.#workers ?? [entry], this.failure);
      if (first) this.#onFailure(this.failure);
    };
    worker.on('error', (error) => lost(`failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (!this.#closed) lost(`exited (code ${code})`);
    });
    return entry;
  }

  #fail(workers: GroupWorker<A>[], error: Error): void {
    for (const { pending } of workers) {
      for (const request of pending.values()) request.reject(error);
      pending.clear();
    }
  }
}
