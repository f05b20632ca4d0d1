/**
 * The native page encoder (pageEncoder 'native') against its naive twin (pageEncoder
 * 'parquet-wasm'): the same rows written both ways, in every encoding, codec, list encoding and
 * thread count, with small pages and row groups that cut the writes unevenly, read back by
 * parquet-wasm (readShardChunks) and by the loader's JavaScript reader: every reading holds
 * exactly the bytes written (floats as bit patterns: NaN payloads, -0, infinities).
 */
import fc from 'fast-check';
import type { ColumnEncoding, ColumnEncodingChoice, DatasetWriterOptions, SampleChunk } from '../src/dataset';
import { readParquetLayout } from '../src/dataset';
import { sliceSampleChunk } from '../src/dataset/sample-chunk-slice';
import { DICTIONARY_PAGE_BYTES } from '../src/dataset/parquet-settings';
import { chunkBytes, edgeChunk, expectSameBytes, randomChunk, readWithJs, readWithWasm, tempRoot, writeShard } from './native-helpers';

jest.setTimeout(120_000);

const temp = tempRoot('recd-native-encoder-');
afterAll(() => temp.cleanup());
let serial = 0;

const INT64_ENCODINGS: ColumnEncoding[] = ['plain', 'dictionary', 'delta', 'byte-stream-split'];
const FLOAT_ENCODINGS: ColumnEncoding[] = ['plain', 'dictionary', 'byte-stream-split'];

/** Rows cut into writes of uneven sizes (one of a single row). */
function piecesOf(chunk: SampleChunk): SampleChunk[] {
  const cuts = [0, Math.floor(chunk.length / 3), Math.floor(chunk.length / 3) + 1, chunk.length];
  return cuts.slice(1).map((end, i) => sliceSampleChunk(chunk, cuts[i], end));
}

/** Writes the rows with both page encoders; checks both readers against the input on both files; returns the native file's layout. */
async function checkTwins(chunk: SampleChunk, options: Omit<DatasetWriterOptions, 'shards' | 'pageEncoder'>, batchSize?: number) {
  const input = chunkBytes([chunk]);
  const layouts = [];
  for (const pageEncoder of ['native', 'parquet-wasm'] as const) {
    const dir = temp.dir(`d${serial++}`);
    const file = await writeShard(dir, piecesOf(chunk), { ...options, pageEncoder });
    expectSameBytes(await readWithWasm(file, batchSize), input, `${pageEncoder} file, parquet-wasm reader`);
    expectSameBytes(await readWithJs(dir), input, `${pageEncoder} file, JavaScript reader`);
    layouts.push(await readParquetLayout(file));
  }
  const [native, wasm] = layouts;
  expect(native.rowGroupRows).toEqual(wasm.rowGroupRows);
  expect(native.rows).toBe(chunk.length);
  return native;
}

const encodingsOf = (layout: Awaited<ReturnType<typeof readParquetLayout>>): Record<string, string[]> => Object.fromEntries(layout.columns.map((column) => [column.name, column.encodings]));

/** 8 settings: every int64 encoding twice, every float32 encoding, and each (listEncoding, codec, threads) combination once. */
const CASES = Array.from({ length: 8 }, (_, i) => ({
  id: INT64_ENCODINGS[i % 4],
  ts: INT64_ENCODINGS[(i + 2) % 4],
  score: FLOAT_ENCODINGS[i % 3],
  label: FLOAT_ENCODINGS[(i + 1) % 3],
  listEncoding: (['plain', 'dictionary'] as const)[i & 1],
  codec: (['zstd', 'none'] as const)[(i >> 1) & 1],
  encoderThreads: [0, 2][(i >> 2) & 1],
}));

test.each(CASES)('id $id, ts $ts, score $score, label $label, lists $listEncoding, $codec, $encoderThreads threads: both encoders store the rows exactly', async ({ id, ts, score, label, listEncoding, codec, encoderThreads }) => {
  const chunk = randomChunk(300, serial + 1, { longLists: true });
  const layout = await checkTwins(chunk, {
    rowGroupSize: 110,
    dataPageSizeBytes: 96,
    codec,
    listEncoding,
    encoderThreads,
    columnEncodings: { id, ts, score, label },
  });
  expect(layout.rowGroupRows).toEqual([110, 110, 80]);
  const encodings = encodingsOf(layout);
  const expected: Record<ColumnEncoding, string> = { plain: 'PLAIN', dictionary: 'RLE_DICTIONARY', delta: 'DELTA_BINARY_PACKED', 'byte-stream-split': 'BYTE_STREAM_SPLIT' };
  for (const [name, encoding] of Object.entries({ id, ts, score, label })) {
    expect([name, encodings[name]]).toEqual([name, expect.arrayContaining([expected[encoding]])]);
    if (encoding !== 'dictionary') expect([name, encodings[name]]).toEqual([name, expect.not.arrayContaining(['RLE_DICTIONARY'])]);
  }
  expect(encodings.items.includes('RLE_DICTIONARY')).toBe(listEncoding === 'dictionary');
  expect(layout.columns.every((column) => column.compressedBytes > 0)).toBe(true);
  if (codec === 'none') expect(layout.columns.map((column) => column.compressedBytes)).toEqual(layout.columns.map((column) => column.uncompressedBytes));
});

test('one row, one row group per row, a page per row: both encoders store the rows exactly', async () => {
  await checkTwins(randomChunk(1, 5), { rowGroupSize: 1, dataPageSizeBytes: 1, columnEncodings: { id: 'delta', ts: 'dictionary', score: 'byte-stream-split' } });
  await checkTwins(randomChunk(9, 6, { longLists: true }), { rowGroupSize: 2, dataPageSizeBytes: 1, codec: 'none', listEncoding: 'plain', columnEncodings: { id: 'byte-stream-split', ts: 'delta' } });
});

test.each([
  ['dictionary', 'dictionary', 'zstd'],
  ['plain', 'delta', 'none'],
] as const)('edge shapes (constant columns, all NaN, a 70 000-value list row, all-empty lists), lists %s, ids %s, %s: both encoders store the rows exactly', async (listEncoding, id, codec) => {
  await checkTwins(edgeChunk(50), { rowGroupSize: 20, dataPageSizeBytes: 4096, codec, listEncoding, columnEncodings: { id, ts: 'dictionary', nan: 'dictionary', label: 'dictionary' } });
});

test('settings and rows at random: both encoders store the rows exactly (property)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.record({
        seed: fc.integer({ min: 1, max: 1e6 }),
        rows: fc.integer({ min: 1, max: 300 }),
        longLists: fc.boolean(),
        rowGroupSize: fc.integer({ min: 25, max: 300 }),
        dataPageSizeBytes: fc.oneof(fc.integer({ min: 8, max: 200 }), fc.constant(1 << 20)),
        codec: fc.constantFrom('zstd' as const, 'none' as const),
        zstdLevel: fc.constantFrom(1, 3, 9),
        encoderThreads: fc.constantFrom(0, 1),
        listEncoding: fc.constantFrom('plain' as const, 'dictionary' as const),
        id: fc.constantFrom(...INT64_ENCODINGS),
        ts: fc.constantFrom<ColumnEncodingChoice>(...INT64_ENCODINGS, 'trial'),
        score: fc.constantFrom(...FLOAT_ENCODINGS),
      }),
      async ({ seed, rows, longLists, id, ts, score, ...options }) => {
        await checkTwins(randomChunk(rows, seed, { longLists }), { ...options, columnEncodings: { id, ts, score } });
      },
    ),
    { numRuns: 4 },
  );
});

/** `rows` rows whose `id` and list values are all distinct (a dictionary of `rows` values). */
function distinctChunk(rows: number): SampleChunk {
  return {
    length: rows,
    columns: [
      { name: 'label', type: 'float32', values: new Float32Array(rows) },
      { name: 'id', type: 'int64', values: BigInt64Array.from({ length: rows }, (_, i) => BigInt(i) * 0x1_0000_0001n - 2n ** 40n) },
      { name: 'items', type: 'list<int64>', offsets: Int32Array.from({ length: rows + 1 }, (_, i) => i), values: BigInt64Array.from({ length: rows }, (_, i) => -BigInt(i) * 7n) },
    ],
  };
}

describe('a dictionary beyond the dictionary page limit', () => {
  const limit = DICTIONARY_PAGE_BYTES / 8;

  test(`${limit + 1} distinct int64 values in one row group: PLAIN, the values exact in both encoders`, async () => {
    const layout = await checkTwins(distinctChunk(limit + 1), { rowGroupSize: 1 << 20, columnEncodings: { id: 'dictionary' } }, 1 << 20);
    const encodings = encodingsOf(layout);
    expect(layout.rowGroupRows).toEqual([limit + 1]);
    expect(encodings.id).not.toContain('RLE_DICTIONARY');
    expect(encodings.items).not.toContain('RLE_DICTIONARY');
    expect(encodings.id).toContain('PLAIN');
  });

  test(`exactly ${limit} distinct values: the dictionary is kept`, async () => {
    const chunk = distinctChunk(limit);
    const dir = temp.dir(`d${serial++}`);
    const file = await writeShard(dir, [chunk], { rowGroupSize: 1 << 20, columnEncodings: { id: 'dictionary' }, pageEncoder: 'native' });
    const encodings = encodingsOf(await readParquetLayout(file));
    expect(encodings.id).toContain('RLE_DICTIONARY');
    expect(encodings.items).toContain('RLE_DICTIONARY');
    expectSameBytes(await readWithJs(dir), chunkBytes([chunk]), 'native file at the limit, JavaScript reader');
  });
});
