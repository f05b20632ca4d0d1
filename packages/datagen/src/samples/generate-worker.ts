/**
 * The worker thread that generates the samples of one partition (GeneratePool): sessionize, then
 * generatePartitionSamples, exactly as the calling thread would. Loaded by the pool from the
 * compiled `dist/samples/generate-worker.js`.
 *
 * Protocol: `{ id, events, sessionOptions, context }` (the events' buffers transferred) ->
 * `{ id, run }` (the run's buffers transferred) or `{ id, error }`.
 */
import { parentPort } from 'node:worker_threads';
import type { EventTable } from '../log/events';
import { GenerateContext, SampleRun, generatePartitionSamples } from './generate-partition';
import { SessionizeOptions, sessionize } from './sessions';

export interface GenerateRequest {
  id: number;
  events: EventTable;
  sessionOptions: SessionizeOptions;
  context: GenerateContext;
}

export type GenerateResponse = { id: number; run: SampleRun; error?: undefined } | { id: number; error: string; run?: undefined };

/** The distinct buffers under a set of typed arrays (a transfer list names each once). */
export function buffersOf(arrays: Iterable<ArrayBufferView>): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const array of arrays) if (array.buffer instanceof ArrayBuffer && array.buffer.byteLength > 0) buffers.add(array.buffer);
  return [...buffers];
}

export function eventArrays(events: EventTable): ArrayBufferView[] {
  const { session, user, userKnown, item, category, time, label, order, dense, categorical } = events;
  return [session, user, userKnown, item, category, time, label, order, ...dense, ...categorical];
}

export function runArrays(run: SampleRun): ArrayBufferView[] {
  const arrays: ArrayBufferView[] = [run.key, run.sub];
  for (const column of run.chunk.columns) {
    arrays.push(column.values);
    if (column.type === 'list<int64>') arrays.push(column.offsets);
  }
  return arrays;
}

if (parentPort) {
  const port = parentPort;
  port.on('message', ({ id, events, sessionOptions, context }: GenerateRequest) => {
    let response: GenerateResponse;
    try {
      const run = generatePartitionSamples(events, sessionize(events, sessionOptions), context);
      response = { id, run };
    } catch (error) {
      response = { id, error: String((error as Error)?.message ?? error) };
    }
    port.postMessage(response, response.run ? buffersOf(runArrays(response.run)) : []);
  });
}
