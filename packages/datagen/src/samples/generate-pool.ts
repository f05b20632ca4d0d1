import { join } from 'node:path';
import type { EventTable } from '../log/events';
import { ModuleWorkerPool, moduleAvailable } from '../threads/module-worker-pool';
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
export class GeneratePool extends ModuleWorkerPool<GenerateResponse> {
  constructor(threads: number) {
    super(threads, WORKER_MODULE, 'generating samples');
  }

  /** Whether the compiled worker is there (run `npx tsc -b`); without it, generate in this thread. */
  static available(): boolean {
    return moduleAvailable(WORKER_MODULE);
  }

  async generate(events: EventTable, sessionOptions: SessionizeOptions, context: GenerateContext): Promise<SampleRun> {
    const request = (id: number): GenerateRequest => ({ id, events, sessionOptions, context });
    return (await this.group.send(request, buffersOf(eventArrays(events)))).run!;
  }
}
