/**
 * The worker-thread side of reading (run by piscina from the compiled `dist/row-group-task.js`):
 * decode one row group of one Parquet shard and, when asked, prepare it (transforms, session
 * runs) with the plan passed as `workerData`. Results travel back as transferred buffers, not
 * copies.
 *
 * Decoding uses the JavaScript reader unless the task asks for parquet-wasm or the row group has
 * something the reader does not support. parquet-wasm runs here, never on the main thread: on a
 * corrupt page it panics inside its async reader, an uncaught `RuntimeError: unreachable` that
 * would end the process (see @recd/datagen's shard-read-worker). In a worker it ends the worker;
 * piscina rejects the task and the main thread reports the file and row group. It is loaded only
 * when first needed, so a pool that never uses it starts faster.
 */
import { Piscina } from 'piscina';
import { chunksFromIpc } from './arrow-columns';
import type { DecodedChunk } from './dictionary-ids';
import type { ParquetDecoder } from './options';
import { readRowGroupWithJs } from './parquet/shard-reader';
import type { ShardShape } from './parquet/shard-shape';
import { UnsupportedParquetError } from './parquet/unsupported';
import type { LoaderPlan } from './plan';
import { prepareChunk } from './prepare';
import { ownedBuffers, type PreparedChunk } from './prepared-chunk';

export interface RowGroupTask {
  path: string;
  rowGroup: number;
  /** What the manifest says the shard holds; checked when the file is opened. */
  expected: ShardShape;
  /** Prepare here (the plan is in workerData) or return the decoded samples. */
  prepare: boolean;
  /** 'js' is only asked for with `prepare` (without, the main thread reads with the JavaScript reader itself). */
  decoder: ParquetDecoder;
}

/** Prepared chunks, or the samples parquet-wasm decoded as Arrow IPC bytes (transferred, not copied). */
export type RowGroupResult = { kind: 'prepared'; chunks: PreparedChunk[] } | { kind: 'ipc'; parts: Uint8Array[] };

const plan: LoaderPlan = (Piscina.workerData as { plan: LoaderPlan }).plan;

export default async function readRowGroup(task: RowGroupTask): Promise<unknown> {
  if (task.decoder === 'js' && task.prepare) {
    let chunk: DecodedChunk | undefined;
    try {
      chunk = await readRowGroupWithJs(task.path, task.rowGroup, plan.columns, task.expected);
    } catch (error) {
      if (!(error instanceof UnsupportedParquetError)) throw error;
    }
    if (chunk !== undefined) return prepared([prepareChunk(chunk, plan)]);
  }
  // loaded here, not at the top: most pools never need parquet-wasm
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readRowGroupWithWasm } = require('./parquet/wasm-reader') as typeof import('./parquet/wasm-reader');
  const parts = await readRowGroupWithWasm(task.path, task.rowGroup, plan.columns, task.expected);
  if (task.prepare) return prepared(chunksFromIpc(parts, plan.columns).map((chunk) => prepareChunk(chunk, plan)));
  return move({ kind: 'ipc', parts }, parts.map((part) => part.buffer as ArrayBuffer));
}

function prepared(chunks: PreparedChunk[]): unknown {
  return move({ kind: 'prepared', chunks }, chunks.flatMap(ownedBuffers));
}

function move(value: RowGroupResult, buffers: ArrayBuffer[]): unknown {
  return Piscina.move({ [Piscina.transferableSymbol]: buffers, [Piscina.valueSymbol]: value } as never);
}
