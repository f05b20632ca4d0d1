import type { FileHandle } from 'node:fs/promises';
import { Schema, Table, tableToIPC } from 'apache-arrow';
import { Table as WasmTable, WriterProperties } from 'parquet-wasm/node';
import { RecdError } from '@recd/core';
import { ParquetStreamWriter } from '../dataset/parquet-stream-writer';
import type { SampleChunk } from '../dataset/sample-chunk';
import { sampleChunkToArrow } from '../dataset/sample-chunk-arrow';

/**
 * One Parquet file being encoded, fed batch by batch: in this thread (InThreadShardEncoder) or
 * row group by row group in worker threads (WorkerShardEncoder); the two write the same bytes.
 */
export interface ShardEncoder {
  readonly path: string;
  /** One record batch (may have zero rows: a file needs one batch for its schema). Calls must not overlap. */
  write(batch: SampleChunk): Promise<void>;
  /** Finishes the file (footer), syncs and closes it. */
  close(): Promise<void>;
  /** Stops without finishing the file and closes it (the caller removes it). */
  destroy(): Promise<void>;
}

/** parquet-wasm's streaming encoder in this thread: SampleChunk -> Arrow -> IPC -> wasm record batch. */
export class InThreadShardEncoder implements ShardEncoder {
  readonly path: string;
  readonly #writer: ParquetStreamWriter;
  readonly #schema: Schema;

  constructor(path: string, file: FileHandle, properties: WriterProperties, schema: Schema) {
    this.path = path;
    this.#writer = new ParquetStreamWriter(path, file, properties);
    this.#schema = schema;
  }

  async write(batch: SampleChunk): Promise<void> {
    const table = WasmTable.fromIPCStream(tableToIPC(new Table([sampleChunkToArrow(batch, this.#schema)]), 'stream'));
    let batches;
    try {
      batches = table.recordBatches();
    } finally {
      table.free();
    }
    if (batches.length === 0 && batch.length === 0) throw new RecdError(`${this.path}: parquet-wasm made no batch of zero rows`);
    for (const wasmBatch of batches) await this.#writer.write(wasmBatch);
  }

  close(): Promise<void> {
    return this.#writer.close();
  }

  destroy(): Promise<void> {
    return this.#writer.destroy();
  }
}
