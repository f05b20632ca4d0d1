/**
 * Streaming CSV/TSV reader: bytes in, `CsvChunk`s out, in bounded memory. Each step fills a fresh
 * buffer of `chunkBytes` (plus the unfinished row carried over from the last one), scans it, and
 * yields the complete rows as one chunk. A chunk owns its buffer, so it stays valid after the
 * loop moves on.
 *
 * ```
 * for await (const chunk of readCsv('events.csv', { delimiter: ';' })) {
 *   const user = chunk.columnIndex('user_id');
 *   for (let row = 0; row < chunk.rowCount; row++) total += chunk.int(row, user);
 * }
 * ```
 */
import { type CsvSource, openByteSource } from './byte-source';
import { CsvChunk } from './chunk';
import { type CsvReadOptions, type ResolvedCsvOptions, resolveCsvOptions } from './options';
import { CsvScanner } from './scanner';

export class CsvReader implements AsyncIterable<CsvChunk> {
  readonly #source: CsvSource;
  readonly #options: ResolvedCsvOptions;
  readonly #scanner: CsvScanner;
  #started = false;
  #rowsRead = 0;

  constructor(source: CsvSource, options: CsvReadOptions = {}) {
    this.#source = source;
    this.#options = resolveCsvOptions(options, typeof source === 'string' ? source : '<stream>');
    this.#scanner = new CsvScanner(this.#options);
  }

  /** The name errors give the input: its path, or the `fileName` option. */
  get file(): string {
    return this.#options.fileName;
  }

  /** Column names, known once the header (or first) row has been read. */
  get columns(): readonly string[] | undefined {
    return this.#scanner.columns;
  }

  /** Rows yielded so far. */
  get rowsRead(): number {
    return this.#rowsRead;
  }

  /** Rows dropped so far in `onError: 'skip'` mode (each chunk lists its own in `rejected`). */
  get rejectedCount(): number {
    return this.#scanner.rejectedTotal;
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<CsvChunk, void, undefined> {
    if (this.#started) throw new Error(`a CsvReader reads its input once; call readCsv again to re-read ${this.file}`);
    this.#started = true;
    const { chunkBytes, fileName, quote } = this.#options;
    const scanner = this.#scanner;
    const source = openByteSource(this.#source);
    try {
      let buffer = Buffer.allocUnsafe(chunkBytes);
      let filled = 0;
      let final = false;
      for (;;) {
        while (filled < buffer.length && !final) {
          const count = await source.read(buffer, filled, buffer.length - filled);
          if (count === 0) final = true;
          filled += count;
        }
        scanner.scan(buffer, filled, final);
        let chunk: CsvChunk | undefined;
        if (scanner.rowCount > 0 || scanner.rejected.length > 0) {
          this.#rowsRead += scanner.rowCount;
          chunk = new CsvChunk({
            file: fileName,
            columns: scanner.columns ?? [],
            bytes: buffer.subarray(0, filled),
            rowCount: scanner.rowCount,
            fieldStarts: scanner.fieldStarts,
            fieldEnds: scanner.fieldEnds,
            fieldEscaped: scanner.fieldEscaped,
            lineNumbers: scanner.lineNumbers,
            rejected: scanner.rejected,
            quote,
          });
        }
        if (final) {
          if (chunk) yield chunk;
          return;
        }
        // The unfinished row, at most maxRowBytes + 1 bytes (the scanner checks). A fresh buffer: the
        // chunk keeps the old one. Doubling for a long row keeps its rescans linear. Copied before
        // the chunk is yielded, so the caller may hand the chunk's bytes to another thread.
        const carried = filled - scanner.consumed;
        const next = Buffer.allocUnsafe(Math.max(chunkBytes, 2 * carried));
        buffer.copy(next, 0, scanner.consumed, filled);
        buffer = next;
        filled = carried;
        if (chunk) yield chunk;
      }
    } finally {
      await source.close();
    }
  }
}

/** Reads a CSV/TSV file or byte stream as an async iterable of `CsvChunk`s (read once). */
export function readCsv(source: CsvSource, options: CsvReadOptions = {}): CsvReader {
  return new CsvReader(source, options);
}
