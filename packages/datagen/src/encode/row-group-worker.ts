import type { SampleChunk } from '../dataset/sample-chunk';
import type { RowGroupFileSettings } from './native/row-group-file';
import type { ChunkStretches } from '../samples/stretch-assembler';
import type { EncodingTrial, NativeTrialSettings } from './native/native-trial';

/**
 * The worker thread that encodes one Parquet row group at a time, with recd's native encoder or
 * with parquet-wasm, answering each time with a complete Parquet file of that one row group,
 * which ParquetStitcher joins with the others. Requests run one after another, in order:
 *
 * - `{ id, native: { chunk | stretches, settings, zstdLevel? } }`: the native encoder
 *   (native/row-group-file.ts, loaded from the compiled `dist/` path in workerData); `stretches`
 *   of chunks in SharedArrayBuffers are assembled here first, into arrays kept for the next row
 *   group, except the values of PLAIN lists, which their pages copy from the stretches; a
 *   transferred `chunk` is handed back. -> `{ id, file, chunk? }`.
 * - `{ id, trial: { sample, names, settings } }`: the native encoding trial -> `{ id, trial }`.
 * - `{ id, warmUp: { zstdLevel } }`: compiles the native encoder's code on a synthetic row group.
 * - `{ id, ipcs, properties, zstd? }`: parquet-wasm, below.
 *
 * parquet-wasm: the row group arrives as Arrow IPC streams (one per record batch, in the order the
 * sequential writer would have been given them) and the writer properties as the builder calls
 * that make them. Each request runs through parquet-wasm's `transformParquetStream`, the very
 * encoder the in-thread writer uses, fed one batch at a time, so wasm memory holds one batch and the encoded
 * row group, and the row group's bytes are the sequential writer's.
 *
 * With `zstd`, the worker also recompresses the file's pages at that ZSTD level (zstd-pages.ts,
 * loaded from the compiled `dist/encode/zstd-pages.js` named in workerData), so that work runs
 * beside the encoding and not on the thread that merges samples; the bytes are the same as
 * compressing the returned file in the calling thread.
 *
 * Every answer is `{ id, ... }` or `{ id, error }`; files are transferred. A wasm panic ends the
 * worker; the pool then fails every request it held.
 */

/** One call on parquet-wasm's WriterPropertiesBuilder: method name and arguments. */
export type PropertyCall = [method: string, args: unknown[]];

export interface EncodeRequest {
  id: number;
  ipcs: Uint8Array[];
  properties: PropertyCall[];
  /** Recompress the encoded (UNCOMPRESSED) pages with ZSTD at `level`; `where` names the row group in errors. */
  zstd?: ZstdRecompression;
}

export interface ZstdRecompression {
  level: number;
  where: string;
}

/**
 * A row group for the native encoder (native/row-group-file.ts): the chunk's arrays (transferred)
 * and the settings, compressing pages with ZSTD at `zstdLevel` (or not at all without one).
 */
export interface NativeEncodeRequest {
  id: number;
  /** The rows: `chunk` (transferred, handed back with the answer), or `stretches` of chunks in SharedArrayBuffers, assembled in the worker. */
  native: { chunk?: SampleChunk; stretches?: ChunkStretches; settings: Omit<RowGroupFileSettings, 'compress'>; zstdLevel?: number };
}

/** `chunk`: a native request's chunk, its arrays handed back for reuse; `trial`: a trial's result. */
/** The native encoding trial (native/native-trial.ts) of `names` on `sample`, run in a (warm) encoder thread. */
export interface TrialRequest {
  id: number;
  trial: { sample: SampleChunk; names: readonly string[]; settings: NativeTrialSettings };
}

/** Compiles the native encoder's code in a fresh thread (native/warm-up.ts) before real row groups come. */
export interface WarmUpRequest {
  id: number;
  warmUp: { zstdLevel: number };
}

export type EncodeResponse =
  | { id: number; file: Uint8Array; chunk?: SampleChunk; trial?: undefined; error?: undefined }
  | { id: number; trial: EncodingTrial[]; file?: undefined; chunk?: undefined; error?: undefined }
  | { id: number; error: string; file?: undefined; chunk?: undefined; trial?: undefined };

/** Plain CommonJS run with `new Worker(source, { eval: true, workerData: { parquetWasm, zstdPages, nativeEncoder } })`. */
export const ROW_GROUP_WORKER_SOURCE = `
'use strict';
const { parentPort, workerData } = require('node:worker_threads');
let parquet;
let zstdPages;
let native;
const compressors = new Map();
let joined = new Uint8Array(0);
function join(parts, into) {
  let at = 0;
  for (const part of parts) {
    into.set(part, at);
    at += part.byteLength;
  }
  return into;
}
let queue = Promise.resolve();
parentPort.on('message', (request) => {
  queue = queue.then(() => (request.warmUp ? handleWarmUp(request) : request.trial ? handleTrial(request) : request.native ? handleNative(request) : handle(request)));
});
async function handleTrial({ id, trial: { sample, names, settings } }) {
  try {
    native ??= require(workerData.nativeEncoder);
    if (settings.zstdLevel !== undefined) await native.zstdCompressor(settings.zstdLevel); // loads zstd here
    parentPort.postMessage({ id, trial: native.nativeEncodingTrial(sample, names, settings) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
}
async function handleWarmUp({ id, warmUp: { zstdLevel } }) {
  try {
    native ??= require(workerData.nativeEncoder);
    if (!compressors.has(zstdLevel)) compressors.set(zstdLevel, await native.zstdCompressor(zstdLevel));
    const compressor = compressors.get(zstdLevel);
    native.warmUpEncoder((payload) => compressor.compress(payload));
    parentPort.postMessage({ id, file: new Uint8Array(0) });
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
}
let assembler;
async function handleNative({ id, native: { chunk, stretches, settings, zstdLevel } }) {
  try {
    native ??= require(workerData.nativeEncoder);
    let rows = chunk;
    if (stretches) {
      // one assembler per worker: its arrays are reused from one row group to the next
      assembler ??= new native.StretchAssembler(stretches.sources[0].columns);
      assembler.addStretches(stretches);
      // PLAIN lists' values are not copied here: their pages copy them from the shared runs
      rows = assembler.takeForEncoder(native.plainListColumns(stretches.sources[0].columns, settings.encodings));
    }
    let compress = (payload) => payload.slice();
    if (zstdLevel !== undefined) {
      if (!compressors.has(zstdLevel)) compressors.set(zstdLevel, await native.zstdCompressor(zstdLevel));
      const compressor = compressors.get(zstdLevel);
      compress = (payload) => compressor.compress(payload);
    }
    const file = native.encodeRowGroupFile(rows, { ...settings, compress });
    if (chunk) parentPort.postMessage({ id, file, chunk }, [file.buffer, ...native.chunkBuffers(chunk)]);
    else parentPort.postMessage({ id, file }, [file.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
}
async function handle({ id, ipcs, properties, zstd }) {
  try {
    parquet ??= require(workerData.parquetWasm);
    let builder = new parquet.WriterPropertiesBuilder();
    for (const [method, args] of properties) builder = builder[method](...args);
    let next = 0;
    const input = new ReadableStream({
      pull(controller) {
        if (next === ipcs.length) return controller.close();
        const table = parquet.Table.fromIPCStream(ipcs[next]);
        ipcs[next++] = undefined;
        try {
          for (const batch of table.recordBatches()) controller.enqueue(batch);
        } finally {
          table.free();
        }
      },
    }, { highWaterMark: 0 });
    const reader = (await parquet.transformParquetStream(input, builder.build())).getReader();
    const parts = [];
    let length = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      length += value.byteLength;
    }
    let file;
    if (zstd) {
      // the uncompressed file only feeds the recompression: join it in a buffer kept for the next row group
      if (joined.length < length) joined = new Uint8Array(Math.max(length, 2 * joined.length));
      zstdPages ??= require(workerData.zstdPages);
      await zstdPages.prepareZstd();
      file = zstdPages.zstdCompressPages(join(parts, joined).subarray(0, length), zstd.level, zstd.where);
    } else {
      file = join(parts, new Uint8Array(length));
    }
    parentPort.postMessage({ id, file }, [file.buffer]);
  } catch (error) {
    parentPort.postMessage({ id, error: String((error && error.message) || error) });
  }
}
`;
