import * as fs from 'node:fs';
import * as path from 'node:path';
import { RecordBatchReader, tableFromIPC } from 'apache-arrow';
import { InputError, RecdError } from '@recd/core';
import { CsvReader, readCsv } from '../csv/reader';
import type { CsvChunk } from '../csv/chunk';
import type { LogRows } from './log-rows';
import type { LogSchema } from './log-schema';
import { ArrowLogRows } from './arrow-log-rows';
import { withAliases } from './renamed-rows';

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
export async function* readLog(
  file: string,
  schema: LogSchema,
  options: { onError?: 'stop' | 'skip'; format?: LogFormat; chunkBytes?: number } = {},
): AsyncGenerator<LogBlock> {
  if (!fs.existsSync(file)) throw new InputError({ file }, 'no such file');
  const format = options.format ?? logFormatOf(file);
  if (format === 'csv') {
    for await (const chunk of openCsvLog(file, schema, options.onError, options.chunkBytes)) {
      yield { rows: withAliases(chunk, schema), rejected: csvRejects(chunk) };
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

/** The CSV reader of a log file under the schema's CSV settings (the file is known to exist); `chunkBytes` as CsvReadOptions. */
export function openCsvLog(file: string, schema: LogSchema, onError: 'stop' | 'skip' = 'stop', chunkBytes?: number): CsvReader {
  return readCsv(file, {
    delimiter: schema.csv?.delimiter ?? (path.extname(file).toLowerCase() === '.tsv' ? '\t' : ','),
    header: schema.csv?.header ?? true,
    columns: schema.csv?.header === false ? schema.csv?.columns : undefined,
    onError,
    fileName: file,
    chunkBytes,
  });
}

/** The rows the CSV reader rejected in a chunk, as a LogBlock lists them. */
export function csvRejects(chunk: CsvChunk): LogBlock['rejected'] {
  return chunk.rejected.map((row) => ({ line: row.line, field: row.field, reason: row.reason, text: row.raw }));
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
