/**
 * ZSTD pages through zstd's C decoder in the `zstd-napi` addon (an optional dependency, compiled
 * at install; datagen's encoder compresses with it), into a buffer reused from page to page:
 * about 2.3x the WebAssembly decoder's rate on 1 MiB pages (651 against 281 MB/s). Undefined
 * where the addon does not load, or with `RECD_ZSTD=wasm`: zstd-scratch.ts then decodes, the
 * same library compiled to WebAssembly, which is also the twin the tests compare with.
 */

/** The addon's low-level decoding context (`zstd-napi/binding`): `ZSTD_decompressDCtx` into `dst`, returning the bytes written; corrupt input throws. */
interface DecodingContext {
  decompress(dst: Uint8Array, src: Uint8Array): number;
}

export class NativeZstdScratch {
  readonly #context: DecodingContext;
  #buffer = new Uint8Array(0);

  constructor(context: DecodingContext) {
    this.#context = context;
  }

  /** `bytes` (one or more ZSTD frames) decompressed to exactly `size` bytes: a view valid until the next call. */
  decompress(bytes: Uint8Array, size: number): Uint8Array {
    if (size > this.#buffer.length) this.#buffer = new Uint8Array(Math.max(size, 2 * this.#buffer.length, 65536));
    let written: number;
    try {
      // a destination of exactly `size` bytes: more output than the header says is an error too
      written = this.#context.decompress(this.#buffer.subarray(0, size), bytes);
    } catch (error) {
      throw new Error(`ZSTD: corrupt data (${(error as Error).message})`);
    }
    if (written !== size) throw new Error(`a page decompressed to ${written} bytes, its header says ${size}`);
    return this.#buffer.subarray(0, written);
  }
}

let scratch: NativeZstdScratch | null | undefined;

/** This thread's native decoder, or undefined (no addon, or `RECD_ZSTD=wasm`). */
export function nativeZstdScratch(): NativeZstdScratch | undefined {
  if (scratch === undefined) {
    scratch = null;
    if (process.env.RECD_ZSTD !== 'wasm') {
      try {
        const binding = require('zstd-napi/binding') as { DCtx: new () => DecodingContext };
        scratch = new NativeZstdScratch(new binding.DCtx());
      } catch {
        scratch = null;
      }
    }
  }
  return scratch ?? undefined;
}
