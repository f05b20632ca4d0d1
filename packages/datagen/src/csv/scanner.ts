/**
 * The CSV state machine: splits one buffer of bytes into rows and fields, writing field offsets
 * into typed arrays (no per-row or per-field object). A row that runs past the end of the buffer
 * is left unconsumed; the reader carries its bytes into the next buffer and scans it again, so a
 * row is always scanned whole from contiguous bytes.
 *
 * Grammar (RFC 4180, plus LF and lone CR line breaks):
 *   row    = field *(delimiter field)        ended by CRLF, LF, CR or the end of the input
 *   field  = quote *(any byte but quote | quote quote) quote  /  *(any byte but delimiter, quote, CR, LF)
 * Line numbers count CRLF, LF and lone CR as one line break each, inside quoted fields too.
 * A malformed row is taken to end at the next line break after the problem; scanning resumes there.
 * A row longer than `maxRowBytes` always throws, wherever the buffer boundaries fall.
 */
import { InputError, excerpt } from '@recd/core';
import type { ResolvedCsvOptions } from './options';
import type { RejectedRow } from './rejected-row';
import { columnName, fieldText } from './field-text';

const LF = 10;
const CR = 13;

export class CsvScanner {
  readonly #options: ResolvedCsvOptions;
  /** The quote byte where it ends an unquoted field (as a stray quote), else -1. */
  readonly #strayQuote: number;
  #headerPending: boolean;
  #bomChecked = false;
  #fieldsPerByte = 1 / 8;

  /** Column names: from the header row, the `columns` option, or `column 1..N` once the first row fixes N. */
  columns: readonly string[] | undefined;
  /** Fields per row; -1 until known. */
  fieldCount = -1;
  /** 1-based line number of the first byte not yet consumed. */
  line = 1;
  rejectedTotal = 0;

  // Results of the last scan.
  rowCount = 0;
  consumed = 0;
  fieldStarts = new Int32Array(0);
  fieldEnds = new Int32Array(0);
  fieldEscaped = new Uint8Array(0);
  lineNumbers = new Int32Array(0);
  rejected: RejectedRow[] = [];

  constructor(options: ResolvedCsvOptions) {
    this.#options = options;
    this.#headerPending = options.header;
    if (options.columns !== undefined) {
      this.columns = options.columns;
      this.fieldCount = options.columns.length;
    }
    this.#strayQuote = options.keepStrayQuotes ? -1 : options.quote;
  }

  /** Scans `bytes[0 .. end)`. `final` says no bytes follow, so a row may end at `end`. */
  scan(bytes: Buffer, end: number, final: boolean): void {
    let pos = 0;
    if (!this.#bomChecked) {
      if (end < 3 && !final && isBomPrefix(bytes, end)) return this.#publishNothing();
      this.#bomChecked = true;
      if (end >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) pos = 3;
    }
    const { delimiter, quote, skipEmptyLines, maxRowBytes } = this.#options;
    const strayQuote = this.#strayQuote;
    // Bytes below this may end an unquoted field: one compare rules out most bytes (faster than a table).
    const specialBelow = Math.max(CR, strayQuote) + 1;
    let capacity = Math.ceil((end - pos) * this.#fieldsPerByte * 1.25) + 16;
    let starts = new Int32Array(capacity);
    let ends = new Int32Array(capacity);
    let escaped = new Uint8Array(capacity);
    let lines = new Int32Array(Math.ceil(capacity / Math.max(1, this.fieldCount)) + 1);
    const rejected: RejectedRow[] = [];
    let fieldsWritten = 0;
    let rows = 0;
    let line = this.line;
    const firstByte = pos;
    let consumed = pos;

    rowLoop: while (pos < end) {
      const rowStart = pos;
      const rowLine = line;
      const rowFirstField = fieldsWritten;
      let b = bytes[pos];
      if (skipEmptyLines && (b === LF || b === CR)) {
        if (b === CR && pos + 1 === end && !final) break;
        pos += b === CR && pos + 1 < end && bytes[pos + 1] === LF ? 2 : 1;
        line++;
        consumed = pos;
        continue;
      }
      let field = 0;
      let rowEnd = 0;
      let incomplete = false;
      let problem: string | undefined;
      let problemAt = 0;
      fields: for (;;) {
        if (fieldsWritten === capacity) {
          capacity *= 2;
          starts = grownInt32(starts, capacity);
          ends = grownInt32(ends, capacity);
          escaped = grownUint8(escaped, capacity);
        }
        if (pos < end && bytes[pos] === quote) {
          const lineAtQuote = line;
          let p = pos + 1;
          let hasDoubledQuote = 0;
          for (;;) {
            if (p === end) {
              if (!final) incomplete = true;
              else {
                if (end - rowStart - 1 > maxRowBytes) this.#tooLong(rowLine);
                problem = 'unterminated quoted field: no closing quote before the end of the input';
                problemAt = pos + 1;
                line = lineAtQuote;
              }
              break fields;
            }
            b = bytes[p];
            if (b === quote) {
              if (p + 1 === end && !final) {
                incomplete = true;
                break fields;
              }
              if (p + 1 < end && bytes[p + 1] === quote) {
                hasDoubledQuote = 1;
                p += 2;
                continue;
              }
              break;
            }
            if (b === CR || (b === LF && bytes[p - 1] !== CR)) line++;
            p++;
          }
          starts[fieldsWritten] = pos + 1;
          ends[fieldsWritten] = p;
          escaped[fieldsWritten++] = hasDoubledQuote;
          pos = p + 1;
          if (pos === end) {
            if (!final) incomplete = true;
            rowEnd = pos;
            break;
          }
          b = bytes[pos];
          if (b === delimiter) {
            pos++;
            field++;
            continue;
          }
          if (b !== LF && b !== CR) {
            problem = `${describeByte(b)} after the closing quote (expected the delimiter or a line break)`;
            problemAt = pos;
            break;
          }
        } else {
          let p = pos;
          for (; p < end; p++) {
            const c = bytes[p];
            if (c === delimiter || (c < specialBelow && (c === LF || c === CR || c === strayQuote))) break;
          }
          starts[fieldsWritten] = pos;
          ends[fieldsWritten] = p;
          escaped[fieldsWritten++] = 0;
          pos = p;
          if (p === end) {
            if (!final) incomplete = true;
            rowEnd = pos;
            break;
          }
          b = bytes[p];
          if (b === delimiter) {
            pos++;
            field++;
            continue;
          }
          if (b === quote) {
            problem = 'a quote inside an unquoted field (quote the whole field and double the quote)';
            problemAt = pos;
            break;
          }
        }
        // bytes[pos] is the CR or LF that ends the row.
        rowEnd = pos;
        if (b === CR && pos + 1 === end && !final) incomplete = true;
        pos += b === CR && pos + 1 < end && bytes[pos + 1] === LF ? 2 : 1;
        line++;
        break;
      }

      if (problem !== undefined && !incomplete) {
        let p = problemAt;
        while (p < end && bytes[p] !== LF && bytes[p] !== CR) p++;
        rowEnd = pos = p;
        if (p === end) {
          if (!final) incomplete = true;
        } else {
          if (bytes[p] === CR && p + 1 === end && !final) incomplete = true;
          pos += bytes[p] === CR && p + 1 < end && bytes[p + 1] === LF ? 2 : 1;
          line++;
        }
      }
      if (incomplete) {
        // The row's bytes so far, less a CR that may be half a CRLF, are a lower bound on its length.
        if (end - rowStart - 1 > maxRowBytes) this.#tooLong(rowLine);
        fieldsWritten = rowFirstField;
        line = rowLine;
        break rowLoop;
      }

      if (rowEnd - rowStart > maxRowBytes) this.#tooLong(rowLine);
      const fieldsInRow = field + 1;
      let problemField = field;
      if (problem === undefined) {
        if (this.#headerPending) {
          this.#takeHeader(bytes, starts, ends, escaped, rowFirstField, fieldsInRow);
          fieldsWritten = rowFirstField;
          consumed = pos;
          continue;
        }
        if (this.fieldCount < 0) this.#fixFieldCount(fieldsInRow);
        if (fieldsInRow !== this.fieldCount) {
          problem = `expected ${this.fieldCount} fields, got ${fieldsInRow}`;
          problemField = Math.min(fieldsInRow, this.fieldCount);
        }
      }
      if (problem !== undefined) {
        fieldsWritten = rowFirstField;
        rejected.push(this.#reject(bytes, rowStart, rowEnd, rowLine, problemField, problem));
        consumed = pos;
        continue;
      }
      if (rows === lines.length) lines = grownInt32(lines, rows * 2);
      lines[rows++] = rowLine;
      consumed = pos;
    }

    if (fieldsWritten > 0) this.#fieldsPerByte = fieldsWritten / (consumed - firstByte);
    this.line = line;
    this.consumed = consumed;
    this.rowCount = rows;
    this.fieldStarts = starts.subarray(0, fieldsWritten);
    this.fieldEnds = ends.subarray(0, fieldsWritten);
    this.fieldEscaped = escaped.subarray(0, fieldsWritten);
    this.lineNumbers = lines.subarray(0, rows);
    this.rejected = rejected;
  }

  #publishNothing(): void {
    this.consumed = 0;
    this.rowCount = 0;
    this.fieldStarts = this.fieldEnds = this.lineNumbers = new Int32Array(0);
    this.fieldEscaped = new Uint8Array(0);
    this.rejected = [];
  }

  #takeHeader(bytes: Buffer, starts: Int32Array, ends: Int32Array, escaped: Uint8Array, first: number, count: number): void {
    const names: string[] = [];
    for (let k = first; k < first + count; k++) names.push(fieldText(bytes, starts[k], ends[k], escaped[k] === 1, this.#options.quote));
    this.columns = names;
    this.fieldCount = count;
    this.#headerPending = false;
  }

  #fixFieldCount(count: number): void {
    this.fieldCount = count;
    this.columns = Array.from({ length: count }, (_, i) => columnName(undefined, i));
  }

  /** Bounds the reader's memory: without it a quote left open would make one row of the rest of the file. */
  #tooLong(line: number): never {
    const { fileName, maxRowBytes } = this.#options;
    throw new InputError({ file: fileName, line }, `row longer than maxRowBytes (${maxRowBytes} bytes); is a quote left open?`);
  }

  /** Throws in stop mode (and always for the header row); otherwise returns the row to report. */
  #reject(bytes: Buffer, start: number, end: number, line: number, fieldIndex: number, reason: string): RejectedRow {
    const raw = bytes.toString('utf8', start, end);
    const field = columnName(this.columns, fieldIndex);
    if (!this.#options.skipErrors || this.#headerPending) {
      const what = this.#headerPending ? 'header row' : 'row';
      throw new InputError({ file: this.#options.fileName, line, field }, `${reason}; ${what} ${excerpt(raw)}`);
    }
    this.rejectedTotal++;
    return { line, field, reason, raw };
  }
}

function isBomPrefix(bytes: Uint8Array, end: number): boolean {
  return (end < 1 || bytes[0] === 0xef) && (end < 2 || bytes[1] === 0xbb);
}

function describeByte(b: number): string {
  return b >= 32 && b < 127 ? JSON.stringify(String.fromCharCode(b)) : `byte 0x${b.toString(16).padStart(2, '0')}`;
}

function grownInt32(array: Int32Array<ArrayBuffer>, capacity: number): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(capacity);
  grown.set(array);
  return grown;
}

function grownUint8(array: Uint8Array<ArrayBuffer>, capacity: number): Uint8Array<ArrayBuffer> {
  const grown = new Uint8Array(capacity);
  grown.set(array);
  return grown;
}
