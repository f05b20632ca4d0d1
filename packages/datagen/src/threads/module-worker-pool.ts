import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { WorkerAnswer, WorkerGroup } from './worker-group';

/**
 * Worker threads running one compiled module (a WorkerGroup): what the extraction and sample
 * generation pools share. `module` is the compiled `dist/...js` path (from src/ under tests and
 * from dist/ alike); without it, callers do the work in their own thread (see `moduleAvailable`).
 */
export class ModuleWorkerPool<A extends WorkerAnswer> {
  protected readonly group: WorkerGroup<A>;

  constructor(threads: number, module: string, what: string, workerData?: unknown) {
    this.group = new WorkerGroup(threads, () => new Worker(module, workerData === undefined ? undefined : { workerData }), what);
  }

  get threads(): number {
    return this.group.threads;
  }

  /** Requests out and not yet answered. */
  get outstanding(): number {
    return this.group.outstanding;
  }

  close(): Promise<void> {
    return this.group.close();
  }
}

/** Whether the compiled worker module is there (run `npx tsc -b`). */
export function moduleAvailable(module: string): boolean {
  return existsSync(module);
}
