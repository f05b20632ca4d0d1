/**
 * The native encoder's bytes depend only on the rows and the settings: the same rows written
 * twice, in one write or cut into several, in this thread or in encoder threads, give identical
 * files, in every encoding, codec and list encoding; and ZSTD through the WebAssembly build
 * (what RECD_ZSTD=wasm selects) compresses pages to the same bytes as the zstd-napi addon.
 */
import * as fs from 'node:fs';
import type { ColumnEncoding, DatasetWriterOptions, SampleChunk } from '../src/dataset';
import { sliceSampleChunk } from '../src/dataset/sample-chunk-slice';
import { zstdCompressor } from '../src/encode/zstd-compressor';
import { prepareZstd, zstdCompress } from '../src/encode/zstd-pages';
import { randomChunk, tempRoot, writeShard } from './native-helpers';

jest.setTimeout(120_000);

const temp = tempRoot('recd-native-determinism-');
afterAll(() => temp.cleanup());
let serial = 0;

async function bytesOf(pieces: readonly SampleChunk[], options: Omit<DatasetWriterOptions, 'shards' | 'pageEncoder'>): Promise<Buffer> {
  return fs.readFileSync(await writeShard(temp.dir(`d${serial++}`), pieces, { ...options, pageEncoder: 'native' }));
}

/** Rows cut into writes of 1, 100 and the rest (none aligned with the row groups). */
const cut = (chunk: SampleChunk): SampleChunk[] => [sliceSampleChunk(chunk, 0, 1), sliceSampleChunk(chunk, 1, 101), sliceSampleChunk(chunk, 101, chunk.length)];

describe.each<[string, ColumnEncoding, ColumnEncoding, 'zstd' | 'none', 'plain' | 'dictionary']>([
  ['dictionary ids, delta times, zstd', 'dictionary', 'delta', 'zstd', 'dictionary'],
  ['byte-stream-split ids, plain times, uncompressed, plain lists', 'byte-stream-split', 'plain', 'none', 'plain'],
  ['delta ids, dictionary times, zstd, plain lists', 'delta', 'dictionary', 'zstd', 'plain'],
])('%s', (_name, id, ts, codec, listEncoding) => {
  const chunk = randomChunk(700, id.length + ts.length, { longLists: true });
  const options = { rowGroupSize: 230, dataPageSizeBytes: 300, codec, listEncoding, columnEncodings: { id, ts, score: 'byte-stream-split' as const } };
  let reference: Buffer;
  beforeAll(async () => {
    reference = await bytesOf([chunk], { ...options, encoderThreads: 0 });
  });

  test('the same rows written again give the same bytes', async () => {
    expect((await bytesOf([chunk], { ...options, encoderThreads: 0 })).equals(reference)).toBe(true);
  });

  test('in encoder threads, and cut into other writes, the same bytes', async () => {
    expect((await bytesOf([chunk], { ...options, encoderThreads: 2 })).equals(reference)).toBe(true);
    expect((await bytesOf(cut(chunk), { ...options, encoderThreads: 2 })).equals(reference)).toBe(true);
    expect((await bytesOf(cut(chunk), { ...options, encoderThreads: 0 })).equals(reference)).toBe(true);
  });
});

test('ZSTD through the WebAssembly build (RECD_ZSTD=wasm) gives the bytes the zstd-napi addon gives, on native pages', async () => {
  // what zstdCompressor gives with RECD_ZSTD=wasm (or without the addon): zstd-pages' one-shot compression
  await prepareZstd();
  const wasm = { compress: (bytes: Uint8Array) => zstdCompress(bytes, 3) };
  const addon = await zstdCompressor(3);
  expect(addon.implementation).toBe('zstd-napi');
  const chunk = randomChunk(2000, 11, { longLists: true });
  const payloads = chunk.columns.map((column) => new Uint8Array(column.values.buffer, column.values.byteOffset, column.values.byteLength));
  payloads.push(new Uint8Array(0), new Uint8Array(70_000).fill(7));
  for (const payload of payloads) expect(Buffer.from(wasm.compress(payload)).equals(Buffer.from(addon.compress(payload)))).toBe(true);
});
