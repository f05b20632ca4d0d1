/**
 * The zstd-napi decoder (zstd-native.ts) against its twin, the WebAssembly scratch decoder
 * (zstd-scratch.ts): the same bytes for pages of many sizes and for several frames in one page,
 * and an error, not garbage, for corrupt, cut or mis-sized input.
 */
import { compress as napiCompress } from 'zstd-napi';
import { prepareZstd } from '@recd/datagen';
import { nativeZstdScratch } from '../src/parquet/zstd-native';
import { zstdScratch } from '../src/parquet/zstd-scratch';
import { compressiblePage } from './helpers';

beforeAll(async () => {
  await prepareZstd();
});

test('the native decoder loads here and gives the WebAssembly decoder\'s bytes, for growing pages and multi-frame pages', () => {
  const native = nativeZstdScratch();
  expect(native).toBeDefined();
  for (const [i, size] of [0, 1, 100, 70_000, 3, 300_000, 5_000, 1 << 20].entries()) {
    const original = compressiblePage(size, i + 1);
    const compressed = napiCompress(original, { compressionLevel: 3 });
    const got = Buffer.from(native!.decompress(compressed, size));
    expect(got.equals(Buffer.from(original))).toBe(true);
    expect(got.equals(Buffer.from(zstdScratch()!.decompress(compressed, size)))).toBe(true);
  }
  // two frames back to back, as one page
  const [a, b] = [compressiblePage(1000, 7), compressiblePage(2500, 8)];
  const frames = Buffer.concat([napiCompress(a), napiCompress(b)]);
  expect(Buffer.from(native!.decompress(frames, 3500)).equals(Buffer.concat([a, b]))).toBe(true);
});

test('corrupt, cut and mis-sized input are errors', () => {
  const native = nativeZstdScratch()!;
  const original = compressiblePage(10_000, 3);
  const compressed = napiCompress(original);
  const corrupt = Uint8Array.from(compressed); // a copy (Buffer's slice would be a view)
  corrupt.fill(0x55, 4, 40);
  expect(() => native.decompress(corrupt, 10_000)).toThrow(/ZSTD|decompressed/);
  expect(() => native.decompress(compressed.subarray(0, compressed.length - 5), 10_000)).toThrow(/ZSTD|decompressed/);
  expect(() => native.decompress(compressed, 9_999)).toThrow(/ZSTD|decompressed/);
  expect(() => native.decompress(compressed, 10_001)).toThrow(/ZSTD|decompressed/);
  // after errors it still decodes
  expect(Buffer.from(native.decompress(compressed, 10_000)).equals(Buffer.from(original))).toBe(true);
});
