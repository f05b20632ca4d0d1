import type { FileHandle } from 'node:fs/promises';
import { RecdError } from '@recd/core';
import { ParquetStitcher } from './stitch-parquet';

/**
 * A Parquet file made of one-row-group files encoded elsewhere (worker threads), appended in the
 * order they were added whatever order they finish in, then closed with the stitched footer
 * (ParquetStitcher). The first failure sticks: later calls throw it.
 */
export class StitchedParquetFile {
  readonly path: string;
  readonly #file: FileHandle;
  readonly #stitcher = new ParquetStitcher();
  /** Appends finished row groups to the file in order. */
  #tail: Promise<void> = Promise.resolve();
  #failure: Error | undefined;
  #rowGroups = 0;

  constructor(path: string, file: FileHandle) {
    this.path = path;
    this.#file = file;
  }

  get failure(): Error | undefined {
    return this.#failure;
  }

  /** Row groups added so far. */
  get rowGroups(): number {
    return this.#rowGroups;
  }

  /** What errors call the next row group. */
  nextRowGroupName(): string {
    return `${this.path} row group ${this.#rowGroups}`;
  }

  /** Queues the next row group (a one-row-group file, maybe still being encoded); throws a failure already known. */
  add(encoded: Promise<Uint8Array>): void {
    const where = this.nextRowGroupName();
    this.#rowGroups++;
    encoded.catch(() => {}); // observed through #tail
    this.#tail = this.#tail.then(async () => {
      if (this.#failure) return;
      try {
        await this.append(this.#stitcher.add(await encoded, where));
      } catch (error) {
        this.#failure = error instanceof RecdError ? error : new RecdError(`${where}: writing Parquet failed: ${(error as Error)?.message ?? error}`, { cause: error });
      }
    });
    if (this.#failure) throw this.#failure;
  }

  /** Waits for the row groups, appends the footer (or, with none, `emptyFile`), syncs and closes the file. */
  async close(emptyFile: () => Promise<Uint8Array>): Promise<void> {
    try {
      await this.#tail;
      if (this.#failure) throw this.#failure;
      await this.append(this.#rowGroups === 0 ? [await emptyFile()] : this.#stitcher.finish());
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

  /** Writes bytes at the end of the file as they are (for a file that is not stitched: close then adds nothing). */
  async append(pieces: Uint8Array[]): Promise<void> {
    for (const piece of pieces) {
      for (let written = 0; written < piece.byteLength; ) {
        written += (await this.#file.write(piece, written, piece.byteLength - written)).bytesWritten;
      }
    }
  }
}
