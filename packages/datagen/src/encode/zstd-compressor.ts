import { prepareZstd, zstdCompress } from './zstd-pages';

/** Compresses one buffer into one ZSTD frame at a fixed level. */
export interface ZstdCompressor {
  compress(bytes: Uint8Array): Uint8Array;
  /** `zstd-napi` (zstd's C library as a Node addon) or `zstd-wasm` (the same library compiled to WebAssembly). */
  readonly implementation: 'zstd-napi' | 'zstd-wasm';
}

type ZstdNapi = { Compressor: new () => { setParameters(parameters: { compressionLevel: number }): void; compress(bytes: Uint8Array): Uint8Array } };

let napi: ZstdNapi | null | undefined;

/**
 * A ZSTD compressor at `level`: zstd-napi where its addon loaded (an optional dependency built at
 * install; measured 1.7-2.3x less CPU than the WebAssembly build at level 3 on sample pages), else
 * @bokuweb/zstd-wasm. Both are zstd 1.5's one-shot compression and wrote the same bytes on the
 * pages measured; `RECD_ZSTD=wasm` forces the WebAssembly one.
 */
export async function zstdCompressor(level: number): Promise<ZstdCompressor> {
  if (loadNapi() === null) await prepareZstd();
  return zstdCompressorSync(level);
}

/** {@link zstdCompressor} for a thread that has loaded the WebAssembly one already (prepareZstd) or has the addon. */
export function zstdCompressorSync(level: number): ZstdCompressor {
  const addon = loadNapi();
  if (addon) {
    const context = new addon.Compressor();
    context.setParameters({ compressionLevel: level });
    return { compress: (bytes) => context.compress(bytes), implementation: 'zstd-napi' };
  }
  return { compress: (bytes) => zstdCompress(bytes, level), implementation: 'zstd-wasm' };
}

function loadNapi(): ZstdNapi | null {
  if (napi === undefined) {
    try {
      napi = process.env.RECD_ZSTD === 'wasm' ? null : (require('zstd-napi') as ZstdNapi);
    } catch {
      napi = null;
    }
  }
  return napi;
}
