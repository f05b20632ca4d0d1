import * as fs from 'node:fs';
import * as path from 'node:path';
import { RecordBatchReader, tableFromIPC } from 'apache-arrow';
import { InputError, RecdError } from '@recd/core';
import { readCsv } from '../csv/reader';
import type { LogRows } from './log-rows';
import type { LogSchema } from './log-schema';
import { ArrowLogRows } from './arrow-log-rows';

export type LogFormat = 'csv' | 'parquet' | 'arrow';

/** A block of rows, and rows the reader itself rejected (malformed CSV) under `skip`. */
export interface LogBlock {
  rows: LogRows;
  rejected: readonly { line: number; field?: string; reason: string; text?: string }[];
  /** Bytes of the input consumed so far (for progress), when known. */
  bytesRead?: number;
}

/** The format from the file name: .parquet, .arrow/.arrows/.ipc/.feather, else CSV/TSV text. */
export function logFormatOf(file: string): LogFormat {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.parquet') return 'parquet';
  if (['.arrow', '.arrows', '.ipc', '.feather'].includes(extension)) return 'arrow';
  return 'csv';
}

/**
 * Streams a log file as blocks of rows, in bounded memory: CSV through the byte-level reader,
 * Parquet row group by row group, Arrow IPC (file or stream) batch by batch.
 */
export async function* readLog(file: string, schema: LogSchema, options: { onError?: 'stop' | 'skip'; format?: LogFormat } = {}): AsyncGenerator<LogBlock> {
  if (!fs.existsSync(file)) throw new InputError({ file }, 'no such file');
  const format = options.format ?? logFormatOf(file);
  if (format === 'csv') {
    const reader = readCsv(file, {
      delimiter: schema.csv?.delimiter ?? (path.extname(file).toLowerCase() === '.tsv' ? '\t' : ','),
      header: schema.csv?.header ?? true,
      columns: schema.csv?.header === false ? schema.csv?.columns : undefined,
      onError: options.onError ?? 'stop',
      fileName: file,
    });
    for await (const chunk of reader) {
      yield {
        rows: withAliases(chunk, schema),
        rejected: chunk.rejected.map((row) => ({ line: row.line, field: row.field, reason: row.reason, text: row.raw })),
      };
    }
    return;
  }
  let firstRow = 0;
  if (format === 'parquet') {
    const parquet = await loadParquetWasm();
    let parquetFile;
    try {
      parquetFile = await parquet.ParquetFile.fromFile(await fs.openAsBlob(file));
    } catch (error) {
      throw new InputError({ file }, `not a readable Parquet file (${(error as Error).message ?? error})`);
    }
    const stream = await parquetFile.stream({ batchSize: 65536 });
    for await (const wasmBatch of stream as AsyncIterable<{ intoIPCStream(): Uint8Array }>) {
      const table = tableFromIPC(wasmBatch.intoIPCStream());
      for (const batch of table.batches) {
        yield { rows: withAliases(new ArrowLogRows(file, batch, firstRow), schema), rejected: [] };
        firstRow += batch.numRows;
      }
    }
    return;
  }
  let reader;
  try {
    reader = await RecordBatchReader.from(fs.createReadStream(file));
  } catch (error) {
    throw new InputError({ file }, `not a readable Arrow IPC file (${(error as Error).message ?? error})`);
  }
  for await (const batch of reader) {
    yield { rows: withAliases(new ArrowLogRows(file, batch, firstRow), schema), rejected: [] };
    firstRow += batch.numRows;
  }
}

/** Renames header columns the schema lists in `aliases` (e.g. diginetica's snake-case copy). */
function withAliases(rows: LogRows, schema: LogSchema): LogRows {
  const aliases = schema.aliases;
  if (!aliases || !rows.columns.some((column) => column in aliases)) return rows;
  return new RenamedRows(rows, rows.columns.map((column) => aliases[column] ?? column));
}

/** The same rows under other column names. */
class RenamedRows implements LogRows {
  readonly #rows: LogRows;
  readonly columns: readonly string[];
  constructor(rows: LogRows, columns: readonly string[]) {
    this.#rows = rows;
    this.columns = columns;
  }
  get file(): string {
    return this.#rows.file;
  }
  get rowCount(): number {
    return this.#rows.rowCount;
  }
  get lineNumbers(): Int32Array {
    return this.#rows.lineNumbers;
  }
  columnIndex(name: string): number {
    return this.columns.indexOf(name);
  }
  string(row: number, field: number): string {
    return this.#rows.string(row, field);
  }
  float(row: number, field: number): number {
    return this.#rows.float(row, field);
  }
  int64Words(row: number, field: number, words: Int32Array, wordIndex: number): void {
    this.#rows.int64Words(row, field, words, wordIndex);
  }
}

type ParquetWasm = typeof import('parquet-wasm/node');

let parquetWasm: ParquetWasm | undefined;

/** parquet-wasm, loaded once (its node entry is CommonJS). */
export async function loadParquetWasm(): Promise<ParquetWasm> {
  try {
    parquetWasm ??= require('parquet-wasm/node') as ParquetWasm;
  } catch (error) {
    throw new RecdError(`could not load parquet-wasm: ${(error as Error).message}`);
  }
  return parquetWasm;
}
