/**
 * The reused-buffer ZSTD decompressor against its naive twin, the package's own `decompress`: the
 * same bytes for pages of many sizes (its buffers grow), an error for corrupt or mis-sized input.
 */
import * as zstd from '@bokuweb/zstd-wasm';
import { prepareZstd } from '@recd/datagen';
import { Codec, decompress, prepareCodec } from '../src/parquet/decompress';
import { zstdScratch } from '../src/parquet/zstd-scratch';

beforeAll(async () => {
  await prepareZstd();
  await prepareCodec(Codec.Zstd);
});

function page(size: number, seed: number): Uint8Array {
  // compressible: runs and repeats, like id columns
  const bytes = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    bytes[i] = i % 64 < 40 ? (x >>> 24) & 7 : i & 0xff;
  }
  return bytes;
}

test('the scratch decompressor is reachable and gives what the package gives, for growing pages', () => {
  const scratch = zstdScratch();
  expect(scratch).toBeDefined();
  for (const [i, size] of [0, 1, 100, 70_000, 3, 300_000, 5_000].entries()) {
    const original = page(size, i + 1);
    const compressed = zstd.compress(original, 3);
    const out = scratch!.decompress(compressed, size);
    expect(Buffer.from(out).equals(Buffer.from(original))).toBe(true);
    expect(Buffer.from(decompress(compressed, Codec.Zstd, size)).equals(Buffer.from(zstd.decompress(compressed, { defaultHeapSize: Math.max(size, 1) })))).toBe(true);
  }
});

test('corrupt input and a wrong size are errors', () => {
  const compressed = zstd.compress(page(10_000, 7), 3);
  const corrupt = compressed.slice();
  corrupt.fill(0x55, 4, 40);
  expect(() => zstdScratch()!.decompress(corrupt, 10_000)).toThrow(/ZSTD|decompressed/);
  expect(() => zstdScratch()!.decompress(compressed.subarray(0, compressed.length - 5), 10_000)).toThrow(/ZSTD|decompressed/);
  expect(() => zstdScratch()!.decompress(compressed, 9_999)).toThrow(/ZSTD|decompressed/);
  // and it still works after errors
  expect(Buffer.from(zstdScratch()!.decompress(compressed, 10_000)).equals(Buffer.from(page(10_000, 7)))).toBe(true);
});
