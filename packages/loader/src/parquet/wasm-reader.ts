/**
 * Row groups read with parquet-wasm (the reader the JavaScript one is checked against, and the
 * one for row groups it does not support): decoded in WebAssembly, handed over as Arrow IPC bytes
 * and viewed as SampleChunks. Only ever called on a worker thread (see row-group-task).
 */
import { openAsBlob } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { ParquetFile } from 'parquet-wasm/node';
import { checkArrowSchema } from '../arrow-columns';
import type { ColumnSpec } from './shard-reader';
import { ShardShape, checkShardShape } from './shard-shape';

/** Open files of this thread, most recent last; a few, since a shard's row groups come in runs. */
const files = new Map<string, ParquetFile>();
const MAX_OPEN_FILES = 8;

/** One row group as Arrow IPC stream parts, each in a buffer of its own (ready to transfer). */
export async function readRowGroupWithWasm(path: string, rowGroup: number, columns: readonly ColumnSpec[], expected: ShardShape): Promise<Uint8Array[]> {
  const file = await openChecked(path, columns, expected);
  const rows = file.metadata().rowGroup(rowGroup).numRows();
  const stream = await file.stream({ rowGroups: [rowGroup], batchSize: Math.max(1, rows), columns: columns.map((c) => c.name) });
  const parts: Uint8Array[] = [];
  let decoded = 0;
  for await (const batch of stream as AsyncIterable<{ numRows: number; intoIPCStream(): Uint8Array }>) {
    decoded += batch.numRows;
    const part = batch.intoIPCStream();
    parts.push(part.byteOffset === 0 && part.byteLength === part.buffer.byteLength ? part : part.slice());
  }
  if (decoded !== rows) throw new Error(`expected ${rows} rows (the file footer says), decoded ${decoded}`);
  return parts;
}

async function openChecked(path: string, columns: readonly ColumnSpec[], expected: ShardShape): Promise<ParquetFile> {
  const open = files.get(path);
  if (open !== undefined) {
    files.delete(path);
    files.set(path, open);
    return open;
  }
  const file = await ParquetFile.fromFile(await openAsBlob(path));
  try {
    const metadata = file.metadata();
    checkShardShape({ rowGroups: metadata.numRowGroups(), rows: metadata.fileMetadata().numRows() }, expected);
    checkArrowSchema(tableFromIPC(file.schema().intoIPCStream()).schema, columns);
  } catch (error) {
    file.free();
    throw error;
  }
  files.set(path, file);
  if (files.size > MAX_OPEN_FILES) {
    const [oldest, handle] = files.entries().next().value!;
    files.delete(oldest);
    handle.free();
  }
  return file;
}
