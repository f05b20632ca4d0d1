/**
 * Loads the WebAssembly kernels (`wasm/kernels.wasm`, built from `wasm/assembly/` by
 * `npm run build:wasm -w @recd/dlrm`) once per process, synchronously, into a shared memory.
 *
 * The memory is shared (a SharedArrayBuffer) for one reason: growing a shared memory never
 * detaches the buffer, so a Float32Array view into it stays valid for the life of the process.
 * No other thread uses it. `loadKernels()` returns undefined when WebAssembly, its SIMD or
 * shared memories are missing, and the caller falls back to TypeScript.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The part of the WebAssembly API used here (TypeScript's ES2022 lib does not declare it). */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

interface WasmGlobal {
  readonly value: unknown;
}

interface WebAssemblyApi {
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}

/** The exports of kernels.wasm. Pointers are byte offsets into `memory`; flags are 0 or 1. */
export interface KernelExports {
  heapBase(): number;
  gemm(transA: number, transB: number, m: number, n: number, k: number, a: number, b: number, c: number, accumulate: number, pack: number): void;
  attentionScores(sequences: number, dim: number, tokenStart: number, probStart: number, queries: number, x: number, probs: number, weights: number, attended: number, mean: number, pack: number): void;
  attentionScoresBackward(sequences: number, dim: number, tokenStart: number, probStart: number, queries: number, x: number, probs: number, weights: number, gradAttended: number, gradMean: number, gradQueries: number, gradX: number, scratch: number, pack: number): void;
  addRowVector(rows: number, width: number, values: number, bias: number): void;
  columnSums(rows: number, width: number, values: number, out: number): void;
  reluForward(n: number, input: number, output: number): void;
  reluBackward(n: number, output: number, gradOutput: number, gradInput: number): void;
  interactionForward(batch: number, vectors: number, dim: number, stacked: number, out: number): void;
  interactionBackward(batch: number, vectors: number, dim: number, stacked: number, gradOut: number, gradStacked: number): void;
  readonly KC: WasmGlobal;
  readonly NC: WasmGlobal;
  readonly MC: WasmGlobal;
}

export interface Kernels {
  readonly memory: WasmMemory;
  readonly exports: KernelExports;
}

/** 64 KiB pages; 65536 pages is the whole 4 GiB a 32-bit memory can address. */
const INITIAL_PAGES = 64;
const MAXIMUM_PAGES = 65536;

/** From src/wasm (tests) and dist/wasm (build) alike, the artifact is two levels up. */
export const KERNELS_PATH = join(__dirname, '..', '..', 'wasm', 'kernels.wasm');

let loaded: Kernels | null | undefined;
let loadError: unknown;

/** The kernels, instantiated on first call; undefined when this runtime cannot run them. */
export function loadKernels(): Kernels | undefined {
  if (loaded === undefined) {
    try {
      const wasm = (globalThis as { WebAssembly?: WebAssemblyApi }).WebAssembly;
      if (wasm === undefined) throw new Error('no WebAssembly in this runtime');
      const memory = new wasm.Memory({ initial: INITIAL_PAGES, maximum: MAXIMUM_PAGES, shared: true });
      const module = new wasm.Module(readFileSync(KERNELS_PATH));
      const instance = new wasm.Instance(module, { env: { memory, abort: abortFromWasm } });
      loaded = { memory, exports: instance.exports as unknown as KernelExports };
    } catch (error) {
      loaded = null;
      loadError = error;
    }
  }
  return loaded ?? undefined;
}

/** Why `loadKernels()` returned undefined (for error messages). */
export function kernelLoadError(): unknown {
  loadKernels();
  return loadError;
}

/** AssemblyScript's abort import; the kernels are built with --noAssert, so only a bug calls it. */
function abortFromWasm(message: number, file: number, line: number, column: number): never {
  throw new Error(`wasm kernel aborted at ${line}:${column} (message@${message}, file@${file})`);
}
