import type { FileHandle } from 'node:fs/promises';
import { Schema, Table, tableToIPC } from 'apache-arrow';
import { RecdError } from '@recd/core';
import type { SampleChunk } from '../dataset/sample-chunk';
import { sampleChunkToArrow } from '../dataset/sample-chunk-arrow';
import { sliceSampleChunk } from '../dataset/sample-chunk-slice';
import type { EncoderPool } from './encoder-pool';
import type { PropertyCall, ZstdRecompression } from './row-group-worker';
import { StitchedParquetFile } from './stitched-file';

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
  readonly #out: StitchedParquetFile;
  readonly #pool: EncoderPool;
  readonly #properties: PropertyCall[];
  readonly #rowGroupSize: number;
  readonly #schema: Schema;
  #current: Uint8Array[] = [];
  #currentRows = 0;
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
    this.#out = new StitchedParquetFile(path, file);
    this.#pool = pool;
    this.#properties = properties;
    this.#rowGroupSize = rowGroupSize;
    this.#schema = schema;
  }

  /** Adds one batch (what the in-thread writer would hand parquet-wasm as one record batch). */
  async write(batch: SampleChunk): Promise<void> {
    if (this.#out.failure) throw this.#out.failure;
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
    if (this.#currentRows > 0) await this.#dispatch().catch(async (error) => {
      await this.#out.destroy();
      throw error;
    });
    // no rows: the file of the zero-row batch, as the in-thread writer makes it
    await this.#out.close(async () => {
      if (this.#emptyIpc === undefined) throw new RecdError(`${this.path}: no rows and no zero-row batch to take the schema from`);
      return (await this.#pool.submit([this.#emptyIpc], this.#properties, this.#zstd(this.path))).file;
    });
  }

  /** Stops: waits for row groups in flight to settle and closes the file (the caller removes it). */
  destroy(): Promise<void> {
    return this.#out.destroy();
  }

  async #dispatch(): Promise<void> {
    const ipcs = this.#current;
    this.#current = [];
    this.#currentRows = 0;
    const { file: encoded } = await this.#pool.submit(ipcs, this.#properties, this.#zstd(this.#out.nextRowGroupName()));
    this.#out.add(encoded);
  }

  #zstd(where: string): ZstdRecompression | undefined {
    return this.#zstdLevel === undefined ? undefined : { level: this.#zstdLevel, where };
  }

  #ipc(chunk: SampleChunk): Uint8Array {
    return tableToIPC(new Table([sampleChunkToArrow(chunk, this.#schema)]), 'stream');
  }
}
