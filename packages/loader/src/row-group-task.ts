/**
 * The worker-thread side of reading (run by piscina from the compiled `dist/row-group-task.js`):
 * decode one row group of one Parquet shard with parquet-wasm and, when asked, prepare it
 * (transforms, session runs) with the plan passed as `workerData`. Results travel back as
 * transferred buffers, not copies.
 *
 * parquet-wasm runs here, never on the main thread: on a corrupt page it panics inside its async
 * reader, an uncaught `RuntimeError: unreachable` that would end the process (see @recd/datagen's
 * shard-read-worker). In a worker it ends the worker; piscina rejects the task and the main thread
 * reports the file and row group.
 */
import { openAsBlob } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';
import { Piscina } from 'piscina';
import { ParquetFile } from 'parquet-wasm/node';
import { checkArrowSchema, chunkFromArrow } from './arrow-columns';
import type { LoaderPlan } from './plan';
import { prepareChunk } from './prepare';
import { ownedBuffers, type PreparedChunk } from './prepared-chunk';

export interface RowGroupTask {
  path: string;
  rowGroup: number;
  /** What the manifest says the shard holds; checked when the file is first opened. */
  expectRowGroups: number;
  expectRows: number;
  /** Prepare here (the plan is in workerData) or return the decoded Arrow IPC bytes. */
  prepare: boolean;
}

export type RowGroupResult = { kind: 'prepared'; chunks: PreparedChunk[] } | { kind: 'ipc'; parts: Uint8Array[] };

const plan: LoaderPlan = (Piscina.workerData as { plan: LoaderPlan }).plan;
/** Open files of this worker, most recent last; a few, since a shard's row groups come in runs. */
const files = new Map<string, ParquetFile>();
const MAX_OPEN_FILES = 8;

export default async function readRowGroup(task: RowGroupTask): Promise<unknown> {
  const file = await openChecked(task);
  const rows = file.metadata().rowGroup(task.rowGroup).numRows();
  const stream = await file.stream({ rowGroups: [task.rowGroup], batchSize: Math.max(1, rows), columns: plan.columns.map((c) => c.name) });
  const parts: Uint8Array[] = [];
  let decoded = 0;
  for await (const batch of stream as AsyncIterable<{ numRows: number; intoIPCStream(): Uint8Array }>) {
    decoded += batch.numRows;
    parts.push(batch.intoIPCStream());
  }
  if (decoded !== rows) throw new Error(`expected ${rows} rows (the file footer says), decoded ${decoded}`);
  if (!task.prepare) {
    const owned = parts.map((part) => (part.byteOffset === 0 && part.byteLength === part.buffer.byteLength ? part : part.slice()));
    return move({ kind: 'ipc', parts: owned }, owned.map((part) => part.buffer as ArrayBuffer));
  }
  const chunks: PreparedChunk[] = [];
  for (const part of parts) for (const batch of tableFromIPC(part).batches) chunks.push(prepareChunk(chunkFromArrow(batch, plan.columns), plan));
  return move({ kind: 'prepared', chunks }, chunks.flatMap(ownedBuffers));
}

async function openChecked(task: RowGroupTask): Promise<ParquetFile> {
  const open = files.get(task.path);
  if (open !== undefined) {
    files.delete(task.path);
    files.set(task.path, open);
    return open;
  }
  const file = await ParquetFile.fromFile(await openAsBlob(task.path));
  try {
    const metadata = file.metadata();
    const groups = metadata.numRowGroups();
    const rows = metadata.fileMetadata().numRows();
    if (groups !== task.expectRowGroups || rows !== task.expectRows) {
      throw new Error(`the file has ${groups} row groups and ${rows} rows, the manifest lists ${task.expectRowGroups} and ${task.expectRows}: replaced or rewritten?`);
    }
    checkArrowSchema(tableFromIPC(file.schema().intoIPCStream()).schema, plan.columns);
  } catch (error) {
    file.free();
    throw error;
  }
  files.set(task.path, file);
  if (files.size > MAX_OPEN_FILES) {
    const [oldest, handle] = files.entries().next().value!;
    files.delete(oldest);
    handle.free();
  }
  return file;
}

function move(value: RowGroupResult, buffers: ArrayBuffer[]): unknown {
  return Piscina.move({ [Piscina.transferableSymbol]: buffers, [Piscina.valueSymbol]: value } as never);
}
