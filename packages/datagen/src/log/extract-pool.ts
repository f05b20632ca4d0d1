import { join } from 'node:path';
import { RecdError } from '@recd/core';
import type { CsvChunk } from '../csv/chunk';
import { ModuleWorkerPool, moduleAvailable } from '../threads/module-worker-pool';
import { BlockEvents, inputErrorOf } from './block-events';
import type { ExtractRequest, ExtractResponse } from './extract-worker';
import type { LogSchema } from './log-schema';

/** The compiled worker: from src/ (tests) and from dist/ alike, it is ../../dist/log/extract-worker.js. */
const WORKER_MODULE = join(__dirname, '..', '..', 'dist', 'log', 'extract-worker.js');

/**
 * Worker threads that extract the events of scanned CSV chunks (extract-worker.ts), each block
 * the events BlockExtractor makes of it in this thread. `extract` hands the chunk's buffers over
 * (the caller must not read the chunk's fields after); a malformed row rejects with the same
 * InputError (file, line, field) as in this thread.
 */
export class ExtractPool extends ModuleWorkerPool<ExtractResponse> {
  /** With `partitions`, the workers also find each event's partition (BlockExtractor). */
  constructor(threads: number, schema: LogSchema, onError: 'stop' | 'skip', partitions?: number) {
    super(threads, WORKER_MODULE, 'extracting events', { schema, onError, partitions });
  }

  /** Whether the compiled worker is there (run `npx tsc -b`); without it, extract in this thread. */
  static available(): boolean {
    return moduleAvailable(WORKER_MODULE);
  }

  async extract(chunk: CsvChunk): Promise<BlockEvents> {
    const { file, columns, rowCount, fieldStarts, fieldEnds, fieldEscaped, lineNumbers } = chunk;
    // a small Buffer may share its ArrayBuffer with others (Node's pool): copy it rather than detach them
    const whole = chunk.bytes.byteOffset === 0 && chunk.bytes.byteLength === chunk.bytes.buffer.byteLength;
    const bytes = whole ? chunk.bytes : new Uint8Array(chunk.bytes);
    const request = (id: number): ExtractRequest => ({
      id,
      chunk: { file, columns, rowCount, fieldStarts, fieldEnds, fieldEscaped, lineNumbers, bytes, quote: chunk.quote },
    });
    const transfer = [bytes, fieldStarts, fieldEnds, fieldEscaped, lineNumbers].map((array) => array.buffer as ArrayBuffer);
    const answer = await this.group.send(request, [...new Set(transfer)].filter((buffer) => buffer.byteLength > 0));
    if (answer.inputError) throw inputErrorOf(answer.inputError);
    if (!answer.events) throw new RecdError('extracting events: the worker answered without events');
    return answer.events;
  }
}
