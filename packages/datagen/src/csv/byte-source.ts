/**
 * Where CSV bytes come from: a file path (read straight into the reader's buffer, no copy) or any
 * stream of byte pieces (a Node Readable, an async or sync iterable of Buffers), whose pieces are
 * copied into the reader's buffer whatever their size.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { InputError } from '@recd/core';

/** A file path, or a Node Readable / async iterable / iterable of byte pieces (strings are taken as UTF-8). */
export type CsvSource = string | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array>;

export interface ByteSource {
  /** Reads up to `length` bytes into `into` at `offset`; 0 means the end of the input. */
  read(into: Uint8Array, offset: number, length: number): Promise<number>;
  /** Releases the file or ends the stream; safe to call more than once. */
  close(): Promise<void>;
}

export function openByteSource(source: CsvSource): ByteSource {
  if (typeof source === 'string') return new FileByteSource(source);
  return new PieceByteSource(source);
}

class FileByteSource implements ByteSource {
  readonly #path: string;
  #handle: Promise<FileHandle> | undefined;
  #closed = false;

  constructor(path: string) {
    this.#path = path;
  }

  async read(into: Uint8Array, offset: number, length: number): Promise<number> {
    const handle = await (this.#handle ??= openFile(this.#path));
    const { bytesRead } = await handle.read(into, offset, length, null);
    return bytesRead;
  }

  async close(): Promise<void> {
    if (this.#closed || this.#handle === undefined) return;
    this.#closed = true;
    const handle = await this.#handle.catch(() => undefined);
    await handle?.close();
  }
}

async function openFile(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'no such file' : `cannot open the file (${code ?? (error as Error).message})`;
    throw new InputError({ file: path }, problem, { cause: error });
  }
}

class PieceByteSource implements ByteSource {
  readonly #pieces: AsyncIterator<Uint8Array | string> | Iterator<Uint8Array>;
  #piece: Uint8Array = new Uint8Array(0);
  #used = 0;
  #done = false;

  constructor(source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array>) {
    this.#pieces = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  }

  async read(into: Uint8Array, offset: number, length: number): Promise<number> {
    while (this.#used >= this.#piece.length) {
      if (this.#done) return 0;
      const next = await this.#pieces.next();
      if (next.done) {
        this.#done = true;
        return 0;
      }
      this.#piece = typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value;
      this.#used = 0;
    }
    const count = Math.min(length, this.#piece.length - this.#used);
    into.set(this.#piece.subarray(this.#used, this.#used + count), offset);
    this.#used += count;
    return count;
  }

  async close(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    // Stops a Readable early (destroys it) when the caller breaks out of the loop.
    await this.#pieces.return?.();
  }
}
