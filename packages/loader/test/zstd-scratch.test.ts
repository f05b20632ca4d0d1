/**
 * The reused-buffer ZSTD decompressor against its naive twin, the package's own `decompress`: the
 * same bytes for pages of many sizes (its buffers grow), an error for corrupt or mis-sized input.
 */
import * as zstd from '@bokuweb/zstd-wasm';
import { prepareZstd } from '@recd/datagen';
import { Codec, decompress, prepareCodec } from '../src/parquet/decompress';
import { zstdScratch } from '../src/parquet/zstd-scratch';
import { compressiblePage } from './helpers';

beforeAll(async () => {
  await prepareZstd();
  await prepareCodec(Codec.Zstd);
});

test('the scratch decompressor is reachable and gives what the package gives, for growing pages', () => {
  const scratch = zstdScratch();
  expect(scratch).toBeDefined();
  for (const [i, size] of [0, 1, 100, 70_000, 3, 300_000, 5_000].entries()) {
    const original = compressiblePage(size, i + 1);
    const compressed = zstd.compress(original, 3);
    const out = scratch!.decompress(compressed, size);
    expect(Buffer.from(out).equals(Buffer.from(original))).toBe(true);
    expect(Buffer.from(decompress(compressed, Codec.Zstd, size)).equals(Buffer.from(zstd.decompress(compressed, { defaultHeapSize: Math.max(size, 1) })))).toBe(true);
  }
});

test('corrupt input and a wrong size are errors', () => {
  const compressed = zstd.compress(compressiblePage(10_000, 7), 3);
  const corrupt = compressed.slice();
  corrupt.fill(0x55, 4, 40);
  expect(() => zstdScratch()!.decompress(corrupt, 10_000)).toThrow(/ZSTD|decompressed/);
  expect(() => zstdScratch()!.decompress(compressed.subarray(0, compressed.length - 5), 10_000)).toThrow(/ZSTD|decompressed/);
  expect(() => zstdScratch()!.decompress(compressed, 9_999)).toThrow(/ZSTD|decompressed/);
  // and it still works after errors
  expect(Buffer.from(zstdScratch()!.decompress(compressed, 10_000)).equals(Buffer.from(compressiblePage(10_000, 7)))).toBe(true);
});
