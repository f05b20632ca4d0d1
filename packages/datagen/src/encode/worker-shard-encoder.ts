import type { FileHandle } from 'node:fs/promises';
import { Schema, Table, tableToIPC } from 'apache-arrow';
import { RecdError } from '@recd/core';
import type { SampleChunk } from '../dataset/sample-chunk';
import { sampleChunkToArrow } from '../dataset/sample-chunk-arrow';
import { sliceSampleChunk } from '../dataset/sample-chunk-slice';
import type { EncoderPool } from './encoder-pool';
import type { PropertyCall, ZstdRecompression } from './row-group-worker';
import { ParquetStitcher } from './stitch-parquet';

/**
 * One Parquet file whose row groups are encoded in worker threads, several at a time, and joined
 * in order (ParquetStitcher). It cuts the batches it is given into row groups exactly where the
 * parquet crate's ArrowWriter would (a batch that crosses `rowGroupSize` is sliced there), so each
 * worker sees the batch sequence the in-thread writer would have seen, and the file is byte for
 * byte the in-thread writer's.
 *
 * `write` serializes the batch to Arrow IPC at once (the caller may then reuse its arrays) and
 * waits for a pool permit when a row group is complete, so memory holds the row group being filled
 * plus the pool's requests in flight.
 */
export class WorkerShardEncoder {
  readonly path: string;
  readonly #file: FileHandle;
  readonly #pool: EncoderPool;
  readonly #properties: PropertyCall[];
  readonly #rowGroupSize: number;
  readonly #schema: Schema;
  readonly #stitcher = new ParquetStitcher();
  #current: Uint8Array[] = [];
  #currentRows = 0;
  /** Appends finished row groups to the file in order; the first failure sticks. */
  #tail: Promise<void> = Promise.resolve();
  #failure: Error | undefined;
  #rowGroups = 0;
  /** A zero-row batch, kept for a file that gets no rows (parquet-wasm takes the schema from a batch). */
  #emptyIpc: Uint8Array | undefined;
  /** ZSTD level the workers recompress each row group's pages at (zstd-pages.ts), if any. */
  readonly #zstdLevel: number | undefined;

  constructor(
    path: string,
    file: FileHandle,
    pool: EncoderPool,
    properties: PropertyCall[],
    rowGroupSize: number,
    schema: Schema,
    zstdLevel?: number,
  ) {
    this.#zstdLevel = zstdLevel;
    this.path = path;
    this.#file = file;
    this.#pool = pool;
    this.#properties = properties;
    this.#rowGroupSize = rowGroupSize;
    this.#schema = schema;
  }

  /** Adds one batch (what the in-thread writer would hand parquet-wasm as one record batch). */
  async write(batch: SampleChunk): Promise<void> {
    if (this.#failure) throw this.#failure;
    if (batch.length === 0) this.#emptyIpc ??= this.#ipc(batch);
    let start = 0;
    while (start < batch.length) {
      const take = Math.min(batch.length - start, this.#rowGroupSize - this.#currentRows);
      this.#current.push(this.#ipc(sliceSampleChunk(batch, start, start + take)));
      this.#currentRows += take;
      start += take;
      if (this.#currentRows === this.#rowGroupSize) await this.#dispatch();
    }
  }

  /** Encodes the last (partial) row group, appends the indexes and footer, syncs and closes the file. */
  async close(): Promise<void> {
    try {
      if (this.#currentRows > 0) await this.#dispatch();
      if (this.#rowGroups === 0) {
        // no rows: the file of the zero-row batch, as the in-thread writer makes it
        if (this.#emptyIpc === undefined) throw new RecdError(`${this.path}: no rows and no zero-row batch to take the schema from`);
        const { file } = await this.#pool.submit([this.#emptyIpc], this.#properties, this.#zstd(this.path));
        await this.#append([await file]);
      } else {
        await this.#tail;
        if (this.#failure) throw this.#failure;
        await this.#append(this.#stitcher.finish());
      }
      await this.#file.sync();
    } finally {
      await this.#file.close().catch(() => {});
    }
  }

  /** Stops: waits for row groups in flight to settle and closes the file (the caller removes it). */
  async destroy(): Promise<void> {
    this.#failure ??= new RecdError(`${this.path}: writer closed`);
    await this.#tail.catch(() => {});
    await this.#file.close().catch(() => {});
  }

  async #dispatch(): Promise<void> {
    const ipcs = this.#current;
    this.#current = [];
    this.#currentRows = 0;
    const index = this.#rowGroups++;
    const where = `${this.path} row group ${index}`;
    const { file: encoded } = await this.#pool.submit(ipcs, this.#properties, this.#zstd(where));
    encoded.catch(() => {}); // observed through #tail
    this.#tail = this.#tail.then(async () => {
      if (this.#failure) return;
      try {
        await this.#append(this.#stitcher.add(await encoded, where));
      } catch (error) {
        this.#failure = error instanceof RecdError ? error : new RecdError(`${this.path}: writing Parquet failed: ${(error as Error)?.message ?? error}`, { cause: error });
      }
    });
    if (this.#failure) throw this.#failure;
  }

  async #append(pieces: Uint8Array[]): Promise<void> {
    for (const piece of pieces) {
      for (let written = 0; written < piece.byteLength; ) {
        written += (await this.#file.write(piece, written, piece.byteLength - written)).bytesWritten;
      }
    }
  }

  #zstd(where: string): ZstdRecompression | undefined {
    return this.#zstdLevel === undefined ? undefined : { level: this.#zstdLevel, where };
  }

  #ipc(chunk: SampleChunk): Uint8Array {
    return tableToIPC(new Table([sampleChunkToArrow(chunk, this.#schema)]), 'stream');
  }
}
