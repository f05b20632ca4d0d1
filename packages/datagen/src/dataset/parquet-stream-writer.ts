import type { FileHandle } from 'node:fs/promises';
import { RecordBatch as WasmRecordBatch, WriterProperties, transformParquetStream } from 'parquet-wasm/node';
import { RecdError } from '@recd/core';

/**
 * One Parquet file written incrementally through parquet-wasm's `transformParquetStream`: record
 * batches go into a pull-based ReadableStream, its AsyncArrowWriter closes a row group every
 * `maxRowGroupSize` rows, and each finished row group's bytes are appended to the file at once.
 * Memory holds about one row group (encoded), not the file.
 *
 * `write` resolves once the encoder has taken the batch, so a caller that awaits it never queues
 * more than one batch. The schema is the first batch's; parquet-wasm needs that first batch before
 * it starts, so an empty file still needs one (zero-row) batch.
 *
 * parquet-wasm drops a batch it cannot write without an error (writer_async.rs ignores the
 * result of each write), so callers must check the finished file's row count.
 */
export class ParquetStreamWriter {
  readonly path: string;
  readonly #file: FileHandle;
  #controller!: ReadableStreamDefaultController<WasmRecordBatch>;
  /** Set while the encoder waits for a batch: resolves its pending pull. */
  #pullPending: (() => void) | undefined;
  /** A write waiting for the encoder to ask for a batch. */
  #pullWanted: { resolve: () => void; reject: (error: unknown) => void } | undefined;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  readonly #pump: Promise<void>;
  #failure: Error | undefined;
  #inputClosed = false;

  /** Starts the encoder; `file` is open for writing and empty. Takes ownership of `properties`. */
  constructor(path: string, file: FileHandle, properties: WriterProperties) {
    this.path = path;
    this.#file = file;
    const input = new ReadableStream<WasmRecordBatch>(
      {
        start: (controller) => {
          this.#controller = controller;
        },
        pull: () =>
          new Promise<void>((resolve) => {
            this.#pullPending = resolve;
            this.#pullWanted?.resolve();
            this.#pullWanted = undefined;
          }),
      },
      { highWaterMark: 0 },
    );
    this.#pump = this.#run(transformParquetStream(input, properties));
    this.#pump.catch(() => {}); // observed by write() and close()
  }

  async #run(output: Promise<ReadableStream<Uint8Array>>): Promise<void> {
    try {
      this.#reader = (await output).getReader();
      for (;;) {
        const { done, value } = await this.#reader.read();
        if (done) return;
        for (let written = 0; written < value.byteLength; ) {
          written += (await this.#file.write(value, written, value.byteLength - written)).bytesWritten;
        }
      }
    } catch (error) {
      this.#failure = new RecdError(`${this.path}: writing Parquet failed: ${(error as Error)?.message ?? error}`, { cause: error });
      this.#pullWanted?.reject(this.#failure);
      this.#pullWanted = undefined;
      throw this.#failure;
    }
  }

  /** Hands one batch to the encoder; resolves when the encoder has taken it. Calls must not overlap. */
  async write(batch: WasmRecordBatch): Promise<void> {
    if (this.#inputClosed) throw new RecdError(`${this.path}: write after close`);
    if (this.#pullPending === undefined) {
      if (this.#failure) throw this.#failure;
      await new Promise<void>((resolve, reject) => {
        this.#pullWanted = { resolve, reject };
      });
    }
    const resolvePull = this.#pullPending!;
    this.#pullPending = undefined;
    this.#controller.enqueue(batch);
    resolvePull();
  }

  /** Ends the input, waits for the footer to be written, then syncs and closes the file. */
  async close(): Promise<void> {
    this.#endInput();
    try {
      await this.#pump;
      await this.#file.sync();
    } finally {
      await this.#file.close().catch(() => {});
    }
  }

  /** Stops the encoder and closes the file without finishing it (the caller removes the file). */
  async destroy(): Promise<void> {
    this.#endInput();
    await this.#reader?.cancel().catch(() => {});
    await this.#pump.catch(() => {});
    await this.#file.close().catch(() => {});
  }

  #endInput(): void {
    if (this.#inputClosed) return;
    this.#inputClosed = true;
    this.#controller.close();
    this.#pullPending?.();
    this.#pullPending = undefined;
    this.#pullWanted?.reject(new RecdError(`${this.path}: writer closed`));
    this.#pullWanted = undefined;
  }
}
