/**
 * ZSTD page decompression without the per-page allocations of @bokuweb/zstd-wasm's `decompress`
 * (which mallocs an input and an output buffer in the WebAssembly memory, makes a decoding context,
 * then copies the output into a new JavaScript array, for every page): one decoding context and two
 * buffers that grow as needed are kept in the WebAssembly memory, and the result is a view of the
 * output buffer, valid until the next call (the decoder reads each page whole before the next).
 *
 * The package does not export its Emscripten module; it is loaded by path from the package folder
 * (the same module instance the package uses). If that module or its functions are not there (a
 * different package layout), `zstdScratch()` returns undefined and callers use the package's
 * `decompress`.
 */
import { dirname, join } from 'node:path';

interface ZstdModule {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(pointer: number): void;
  _ZSTD_createDCtx(): number;
  _ZSTD_decompress_usingDict(dctx: number, dst: number, dstCapacity: number, src: number, srcSize: number, dict: number, dictSize: number): number;
  _ZSTD_isError(code: number): number;
}

export class ZstdScratch {
  readonly #module: ZstdModule;
  readonly #dctx: number;
  #src = 0;
  #srcCapacity = 0;
  #dst = 0;
  #dstCapacity = 0;

  constructor(module: ZstdModule) {
    this.#module = module;
    this.#dctx = module._ZSTD_createDCtx();
    if (this.#dctx === 0) throw new Error('ZSTD: could not make a decoding context');
  }

  /** `bytes` (one or more ZSTD frames) decompressed to exactly `size` bytes: a view valid until the next call. */
  decompress(bytes: Uint8Array, size: number): Uint8Array {
    const m = this.#module;
    if (bytes.length > this.#srcCapacity) this.#src = this.#grow(this.#src, (this.#srcCapacity = capacityFor(bytes.length)));
    if (size > this.#dstCapacity) this.#dst = this.#grow(this.#dst, (this.#dstCapacity = capacityFor(size)));
    // HEAPU8 is read after the mallocs: growing the memory replaces it
    m.HEAPU8.set(bytes, this.#src);
    const written = m._ZSTD_decompress_usingDict(this.#dctx, this.#dst, this.#dstCapacity, this.#src, bytes.length, 0, 0);
    if (m._ZSTD_isError(written)) throw new Error(`ZSTD: corrupt data (error code ${written})`);
    if (written !== size) throw new Error(`a page decompressed to ${written} bytes, its header says ${size}`);
    return m.HEAPU8.subarray(this.#dst, this.#dst + written);
  }

  #grow(pointer: number, capacity: number): number {
    if (pointer !== 0) this.#module._free(pointer);
    const grown = this.#module._malloc(capacity);
    if (grown === 0) throw new Error(`ZSTD: could not allocate ${capacity} bytes`);
    return grown;
  }
}

function capacityFor(bytes: number): number {
  let capacity = 65536;
  while (capacity < bytes) capacity *= 2;
  return capacity;
}

let scratch: ZstdScratch | null | undefined;

/** This thread's scratch decompressor (the ZSTD module must be loaded), or undefined when the package's module cannot be reached. */
export function zstdScratch(): ZstdScratch | undefined {
  if (scratch === undefined) {
    scratch = null;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { Module } = require(join(dirname(require.resolve('@bokuweb/zstd-wasm')), 'module.js')) as { Module: Partial<ZstdModule> };
      const complete = ['_malloc', '_free', '_ZSTD_createDCtx', '_ZSTD_decompress_usingDict', '_ZSTD_isError'].every((name) => typeof Module[name as keyof ZstdModule] === 'function');
      if (complete && Module.HEAPU8 !== undefined) scratch = new ZstdScratch(Module as ZstdModule);
    } catch {
      scratch = null;
    }
  }
  return scratch ?? undefined;
}
