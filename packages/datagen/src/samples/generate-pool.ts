import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EventTable } from '../log/events';
import { WorkerGroup } from '../threads/worker-group';
import type { GenerateContext, SampleRun } from './generate-partition';
import { GenerateRequest, GenerateResponse, buffersOf, eventArrays } from './generate-worker';
import type { SessionizeOptions } from './sessions';

/** The compiled worker: from src/ (tests) and from dist/ alike, it is ../../dist/samples/generate-worker.js. */
const WORKER_MODULE = join(__dirname, '..', '..', 'dist', 'samples', 'generate-worker.js');

/**
 * Worker threads that generate partitions' samples (generate-worker.ts), so partitions are
 * generated side by side; each run is the one this thread would make. `generate` hands the
 * partition's events over (their buffers are transferred: the caller must not use them after)
 * to the worker with the fewest requests; the caller bounds how many are out at once (memory).
 */
export class GeneratePool {
  readonly #group: WorkerGroup<GenerateResponse>;

  constructor(threads: number) {
    this.#group = new WorkerGroup(threads, () => new Worker(WORKER_MODULE), 'generating samples');
  }

  get threads(): number {
    return this.#group.threads;
  }

  /** Partitions out and not yet back. */
  get outstanding(): number {
    return this.#group.outstanding;
  }

  /** Whether the compiled worker is there (run `npx tsc -b`); without it, generate in this thread. */
  static available(): boolean {
    return existsSync(WORKER_MODULE);
  }

  async generate(events: EventTable, sessionOptions: SessionizeOptions, context: GenerateContext): Promise<SampleRun> {
    const request = (id: number): GenerateRequest => ({ id, events, sessionOptions, context });
    return (await this.#group.send(request, buffersOf(eventArrays(events)))).run!;
  }

  close(): Promise<void> {
    return this.#group.close();
  }
}
