/**
 * Batches -> an Arrow IPC stream (a file or any Node Writable, e.g. stdout), written batch by
 * batch with backpressure, never held whole in memory. Each batch is one RecordBatch in
 * @recd/core's layout (packages/core/docs/arrow-schema.md): `label`, `dense`, the per-sample keys,
 * then per dedup group `inverse:<g>` and its keys' unique rows. In Python:
 * `for rb in pyarrow.ipc.open_stream(path): ...`.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { WriteStream, createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Transform, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { RecordBatchStreamWriter } from 'apache-arrow';
import { RecdError, SchemaError, arrowBatchLayout, encodeBatchArrow, excerpt } from '@recd/core';
import type { Batch } from './batch';
import { batchToArrow } from './batch-arrow';

export interface ArrowStreamOptions {
  /** End the Writable when the stream is done (default true; pass false for stdout). Files always end. */
  end?: boolean;
}

export interface ArrowStreamSummary {
  batches: number;
  samples: number;
  bytes: number;
}

/**
 * Writes batches as one Arrow IPC stream. A file target is written under a temporary name and
 * renamed into place by `close`, so a reader never sees half a stream; `abort` removes it.
 *
 * ```
 * const writer = ArrowStreamWriter.open('batches.arrows');
 * for await (const batch of dataset) await writer.write(batch);
 * await writer.close();
 * ```
 */
export class ArrowStreamWriter {
  readonly #duplex: ReturnType<typeof RecordBatchStreamWriter.throughNode>;
  readonly #done: Promise<void>;
  readonly #file: { path: string; temporary: string; stream: WriteStream } | undefined;
  #layout: string | undefined;
  #batches = 0;
  #samples = 0;
  #bytes = 0;
  #failure: unknown;

  private constructor(target: string | Writable, options: ArrowStreamOptions) {
    this.#duplex = RecordBatchStreamWriter.throughNode();
    const counter = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.#bytes += chunk.length;
        callback(null, chunk);
      },
    });
    let destination: Writable;
    if (typeof target === 'string') {
      const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
      const stream = createWriteStream(temporary, { flags: 'wx' });
      this.#file = { path: target, temporary, stream };
      destination = stream;
    } else destination = target;
    this.#done = pipeline(this.#duplex, counter, destination, { end: typeof target === 'string' || (options.end ?? true) });
    this.#done.catch((error) => (this.#failure ??= error));
  }

  static open(target: string | Writable, options: ArrowStreamOptions = {}): ArrowStreamWriter {
    return new ArrowStreamWriter(target, options);
  }

  /** Appends one batch; resolves when the stream can take more. Every batch must have the first one's layout. */
  async write(batch: Batch): Promise<void> {
    if (this.#failure) throw this.#failure;
    const arrowBatch = batchToArrow(batch);
    const layout = JSON.stringify(arrowBatchLayout(arrowBatch));
    if (this.#layout === undefined) this.#layout = layout;
    else if (layout !== this.#layout) {
      throw new SchemaError(`ArrowStreamWriter: batch ${this.#batches} has another layout than batch 0; expected ${excerpt(this.#layout, 200)}, got ${excerpt(layout, 200)}`);
    }
    const ready = this.#duplex.write(encodeBatchArrow(arrowBatch));
    this.#batches++;
    this.#samples += batch.size;
    if (!ready) await Promise.race([once(this.#duplex, 'drain'), this.#done]);
    if (this.#failure) throw this.#failure;
  }

  /** Ends the stream and waits until every byte is written (and a file renamed into place). */
  async close(): Promise<ArrowStreamSummary> {
    if (this.#batches === 0) {
      await this.abort(new RecdError('ArrowStreamWriter: no batches were written; an Arrow stream needs one (its schema comes from the first batch)'));
      throw this.#failure;
    }
    this.#duplex.end();
    try {
      await this.#done;
    } catch (error) {
      await this.#removeTemporary();
      throw error;
    }
    if (this.#file) await rename(this.#file.temporary, this.#file.path);
    return { batches: this.#batches, samples: this.#samples, bytes: this.#bytes };
  }

  /** Stops writing; a file target's temporary file is removed. */
  async abort(reason: unknown = new RecdError('ArrowStreamWriter: aborted')): Promise<void> {
    this.#failure ??= reason;
    this.#duplex.destroy(reason instanceof Error ? reason : new RecdError(String(reason)));
    await this.#done.catch(() => undefined);
    await this.#removeTemporary();
  }

  /** Removes a file target's temporary file once its stream is closed (a stream destroyed before its file opened still creates it, later). */
  async #removeTemporary(): Promise<void> {
    if (this.#file === undefined) return;
    const stream = this.#file.stream;
    if (!stream.closed) {
      const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
      stream.destroy();
      await closed;
    }
    await rm(this.#file.temporary, { force: true });
  }
}

/** Writes every batch of `batches` (a Dataset, or any iterable) as one Arrow IPC stream. */
export async function writeArrowStream(batches: AsyncIterable<Batch> | Iterable<Batch>, target: string | Writable, options: ArrowStreamOptions = {}): Promise<ArrowStreamSummary> {
  const writer = ArrowStreamWriter.open(target, options);
  try {
    for await (const batch of batches) await writer.write(batch);
  } catch (error) {
    await writer.abort(error);
    throw error;
  }
  return writer.close();
}
