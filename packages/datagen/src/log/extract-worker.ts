/**
 * The worker thread that extracts the events of scanned CSV chunks (ExtractPool), exactly as the
 * calling thread would (BlockExtractor). Loaded by the pool from the compiled
 * `dist/log/extract-worker.js`; `workerData` is `{ schema, onError, partitions }`
 * (with `partitions`, each event's partition comes back too).
 *
 * It and the modules it loads take the error classes from `@recd/core/dist/errors` rather than
 * the package's index, which loads apache-arrow: about 110 ms less for each worker to start.
 *
 * Protocol: `{ id, chunk }` (a CsvChunkInit without its rejects; its buffers transferred) ->
 * `{ id, events }` (the table's buffers transferred), `{ id, inputError }` for a malformed row in
 * stop mode, or `{ id, error }` for anything else.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { InputError } from '@recd/core/dist/errors';
import { CsvChunk, CsvChunkInit } from '../csv/chunk';
import { BlockEvents, BlockExtractor, PlainInputError, plainInputError } from './block-events';
import { eventTableBuffers } from './event-buffers';
import type { LogSchema } from './log-schema';
import { withAliases } from './renamed-rows';

export type ChunkMessage = Omit<CsvChunkInit, 'rejected' | 'bytes'> & { bytes: Uint8Array };

export interface ExtractRequest {
  id: number;
  chunk: ChunkMessage;
}

export interface ExtractResponse {
  id: number;
  events?: BlockEvents;
  inputError?: PlainInputError;
  error?: string;
}

if (parentPort) {
  const port = parentPort;
  const { schema, onError, partitions } = workerData as { schema: LogSchema; onError: 'stop' | 'skip'; partitions?: number };
  const extractor = new BlockExtractor(schema, onError);
  port.on('message', ({ id, chunk }: ExtractRequest) => {
    let response: ExtractResponse;
    try {
      const bytes = Buffer.from(chunk.bytes.buffer, chunk.bytes.byteOffset, chunk.bytes.byteLength);
      response = { id, events: extractor.extract(withAliases(new CsvChunk({ ...chunk, bytes, rejected: [] }), schema), partitions) };
    } catch (error) {
      response = error instanceof InputError ? { id, inputError: plainInputError(error) } : { id, error: String((error as Error)?.message ?? error) };
    }
    const events = response.events;
    port.postMessage(response, events ? eventTableBuffers(events.table, ...(events.partitionOf ? [events.partitionOf] : [])) : []);
  });
}
