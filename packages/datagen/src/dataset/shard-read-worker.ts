/**
 * The worker thread that decodes a shard's row groups. Decoding runs off the main thread for
 * isolation more than speed: parquet-wasm 0.8 unwraps decode errors inside its async reader
 * (reader_async.rs), so a corrupt page is a wasm panic, an uncaught `RuntimeError: unreachable`
 * that would end the whole process and leave the wasm instance unusable. In a worker it ends
 * only the worker, and the reader reports the file and row group.
 *
 * Protocol (one request at a time, in order): `open` -> `opened` (rows per row group, the Arrow
 * schema as IPC bytes); `read` of one row group -> `batch`* (Arrow IPC stream bytes, transferred)
 * then `done`; any failure -> `error`.
 */

export type WorkerRequest =
  | { type: 'open'; path: string }
  | { type: 'read'; rowGroup: number; batchSize: number; columns: string[] | undefined };

export type WorkerMessage =
  | { type: 'opened'; rowGroupRows: number[]; schemaIpc: Uint8Array }
  | { type: 'batch'; rowGroup: number; ipc: Uint8Array }
  | { type: 'done'; rowGroup: number }
  | { type: 'error'; message: string };

/** Plain CommonJS run with `new Worker(source, { eval: true, workerData: { parquetWasm } })`. */
export const SHARD_READ_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
const { openAsBlob } = require('node:fs');
const parquet = require(workerData.parquetWasm);
let file;
let queue = Promise.resolve();
parentPort.on('message', (request) => {
  queue = queue.then(() => handle(request));
});
const ownBuffer = (bytes) => (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? [bytes.buffer] : []);
async function handle(request) {
  try {
    if (request.type === 'open') {
      file = await parquet.ParquetFile.fromFile(await openAsBlob(request.path));
      const rowGroupRows = file.metadata().rowGroups().map((group) => group.numRows());
      const schemaIpc = file.schema().intoIPCStream();
      parentPort.postMessage({ type: 'opened', rowGroupRows, schemaIpc }, ownBuffer(schemaIpc));
    } else if (request.type === 'read') {
      const options = { rowGroups: [request.rowGroup], batchSize: request.batchSize };
      if (request.columns) options.columns = request.columns;
      const stream = await file.stream(options);
      for await (const batch of stream) {
        const ipc = batch.intoIPCStream();
        parentPort.postMessage({ type: 'batch', rowGroup: request.rowGroup, ipc }, ownBuffer(ipc));
      }
      parentPort.postMessage({ type: 'done', rowGroup: request.rowGroup });
    }
  } catch (error) {
    parentPort.postMessage({ type: 'error', message: String((error && error.message) || error) });
  }
}
`;
