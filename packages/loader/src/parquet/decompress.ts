/**
 * Page decompression for the codecs the JavaScript reader supports: UNCOMPRESSED, SNAPPY (decoded
 * here), GZIP and BROTLI (node:zlib), ZSTD (zstd's own C decoder: the zstd-napi addon where it
 * loads, zstd-native.ts, else compiled to WebAssembly, zstd-scratch.ts; both into a reused buffer,
 * both report corrupt input as an error instead of aborting). Other codecs (LZ4, LZ4_RAW, LZO)
 * are `UnsupportedParquetError`, and the row group goes to parquet-wasm instead.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import * as zstd from '@bokuweb/zstd-wasm';
import { prepareZstd } from '@recd/datagen';
import { UnsupportedParquetError } from './unsupported';
import { nativeZstdScratch } from './zstd-native';
import { zstdScratch } from './zstd-scratch';

export const enum Codec {
  Uncompressed = 0,
  Snappy = 1,
  Gzip = 2,
  Lzo = 3,
  Brotli = 4,
  Lz4 = 5,
  Zstd = 6,
  Lz4Raw = 7,
}
const CODEC_NAMES = ['UNCOMPRESSED', 'SNAPPY', 'GZIP', 'LZO', 'BROTLI', 'LZ4', 'ZSTD', 'LZ4_RAW'];

export function codecSupported(codec: number): boolean {
  return codec === Codec.Uncompressed || codec === Codec.Snappy || codec === Codec.Gzip || codec === Codec.Brotli || codec === Codec.Zstd;
}

let zstdReady: Promise<void> | undefined;

/** Loads the ZSTD decoder (once per thread, shared with datagen's encoder); call before `decompress` of a ZSTD page. */
export function prepareCodec(codec: number): Promise<void> | undefined {
  if (codec !== Codec.Zstd) return undefined;
  return (zstdReady ??= prepareZstd());
}

/**
 * `bytes` decompressed; its length must be `size`, as the page header says. The result may be a
 * view of a scratch buffer (ZSTD, see zstd-scratch.ts) or of `bytes` (UNCOMPRESSED): read it, or
 * copy it, before the next call.
 */
export function decompress(bytes: Uint8Array, codec: number, size: number): Uint8Array {
  let out: Uint8Array;
  switch (codec) {
    case Codec.Uncompressed:
      out = bytes;
      break;
    case Codec.Snappy:
      out = snappyDecompress(bytes, size);
      break;
    case Codec.Gzip:
      out = gunzipSync(bytes);
      break;
    case Codec.Brotli:
      out = brotliDecompressSync(bytes);
      break;
    case Codec.Zstd:
      if (zstdReady === undefined) throw new Error('decompress: the ZSTD decoder is not loaded (prepareCodec first)');
      out = nativeZstdScratch()?.decompress(bytes, size) ?? zstdScratch()?.decompress(bytes, size) ?? zstd.decompress(bytes, { defaultHeapSize: Math.max(size, 1) });
      break;
    default:
      throw new UnsupportedParquetError(`codec ${CODEC_NAMES[codec] ?? codec}`);
  }
  if (out.length !== size) throw new Error(`a page decompressed to ${out.length} bytes, its header says ${size}`);
  return out;
}

/** Raw Snappy (no framing), as Parquet stores it: a varint length, then literals and back-references. */
export function snappyDecompress(input: Uint8Array, size: number): Uint8Array {
  let pos = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= input.length || shift > 28) throw new Error('snappy: bad length preamble');
    const byte = input[pos++];
    length += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) break;
  }
  if (length !== size) throw new Error(`snappy: the data says ${length} bytes, the page header ${size}`);
  const out = new Uint8Array(length);
  let o = 0;
  const little = (n: number): number => {
    if (pos + n > input.length) throw new Error('snappy: truncated input');
    let value = 0;
    for (let i = 0; i < n; i++) value += input[pos++] * 2 ** (8 * i);
    return value;
  };
  while (pos < input.length) {
    const tag = input[pos++];
    const kind = tag & 3;
    if (kind === 0) {
      let run = tag >> 2;
      run = run < 60 ? run + 1 : little(run - 59) + 1;
      if (pos + run > input.length || o + run > length) throw new Error('snappy: a literal runs past the end');
      out.set(input.subarray(pos, pos + run), o);
      pos += run;
      o += run;
      continue;
    }
    let run: number;
    let offset: number;
    if (kind === 1) {
      run = ((tag >> 2) & 7) + 4;
      offset = ((tag >> 5) << 8) | little(1);
    } else {
      run = (tag >> 2) + 1;
      offset = little(kind === 2 ? 2 : 4);
    }
    if (offset === 0 || offset > o || o + run > length) throw new Error('snappy: a copy reaches outside the output');
    if (offset >= run) out.copyWithin(o, o - offset, o - offset + run);
    else for (let i = 0; i < run; i++) out[o + i] = out[o - offset + i];
    o += run;
  }
  if (o !== length) throw new Error(`snappy: decoded ${o} bytes, expected ${length}`);
  return out;
}
