/**
 * The JavaScript Parquet reader against its plain twin, parquet-wasm: the same row groups decode
 * to the same columns (bit for bit) across codecs, page versions, page sizes (lists split across
 * pages), dictionary and PLAIN values; what it does not support goes to parquet-wasm, and whole
 * epochs give the same batches with either decoder.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Field, Float32, Int64, List, Table, Vector, tableToIPC, vectorFromArray } from 'apache-arrow';
import { Compression, Encoding, Table as WasmTable, WriterPropertiesBuilder, WriterVersion, readParquet, writeParquet } from 'parquet-wasm/node';
import { SampleChunk, openDatasetManifest, readShardChunks } from '@recd/datagen';
import { Batch, openDataset } from '@recd/loader';
import { readRowGroupWithJs } from '../src/parquet/shard-reader';
import { UnsupportedParquetError } from '../src/parquet/unsupported';
import { snappyDecompress } from '../src/parquet/decompress';
import { materializeColumn } from '../src/dictionary-ids';
import { chunksOf, collect, sessionKjt, sessionLengths, tempRoot, writeDataset } from './helpers';

jest.setTimeout(60_000);

const temp = tempRoot('recd-loader-parquet-');
afterAll(() => temp.cleanup());
let serial = 0;
const chunks = chunksOf(sessionLengths(90, 7), 120);
const ROW_GROUP = 40;

interface Variant {
  name: string;
  compression: Compression;
  version?: WriterVersion;
  dictionary?: boolean;
  pageBytes?: number;
  encoding?: Encoding;
  /** Dictionary page size limit: past it the writer falls back to PLAIN pages after the dictionary ones. */
  dictionaryBytes?: number;
}

/** A one-shard dataset whose shard is rewritten by parquet-wasm with the variant's writer settings. */
async function datasetAs(variant: Variant): Promise<{ dir: string; shard: string }> {
  const dir = temp.dir(`d${serial++}`);
  await writeDataset(dir, chunks, { shards: 1, rowGroupSize: ROW_GROUP });
  const shard = join(dir, 'part-00000.parquet');
  let builder = new WriterPropertiesBuilder()
    .setCompression(variant.compression)
    .setMaxRowGroupSize(ROW_GROUP)
    .setWriterVersion(variant.version ?? WriterVersion.V1)
    .setDictionaryEnabled(variant.dictionary ?? true)
    .setDataPageSizeLimit(variant.pageBytes ?? 1 << 20);
  if (variant.encoding !== undefined) builder = builder.setColumnEncoding('user', variant.encoding);
  if (variant.dictionaryBytes !== undefined) builder = builder.setDictionaryPageSizeLimit(variant.dictionaryBytes);
  writeFileSync(shard, writeParquet(readParquet(readFileSync(shard)), builder.build()));
  const manifestFile = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  manifest.shards[0].bytes = readFileSync(shard).length;
  writeFileSync(manifestFile, JSON.stringify(manifest));
  return { dir, shard };
}

async function decodedBoth(dir: string, shard: string): Promise<{ js: SampleChunk[] | UnsupportedParquetError; wasm: SampleChunk[] }> {
  const manifest = await openDatasetManifest(dir);
  const columns = manifest.columns;
  const wasm: SampleChunk[] = [];
  for await (const chunk of readShardChunks(shard, { batchSize: ROW_GROUP })) wasm.push(chunk);
  const js: SampleChunk[] = [];
  try {
    for (let g = 0; g < manifest.shards[0].rowGroups; g++) {
      const chunk = await readRowGroupWithJs(shard, g, columns, manifest.shards[0]);
      js.push({ length: chunk.length, columns: chunk.columns.map(materializeColumn) });
    }
  } catch (error) {
    if (error instanceof UnsupportedParquetError) return { js: error, wasm };
    throw error;
  }
  return { js, wasm };
}

/** Columns as plain arrays of their bytes, so equal means bit for bit (NaN payloads and -0 included). */
function bytesOf(chunk: SampleChunk): Record<string, number[][]> {
  const raw = (array: ArrayBufferView): number[] => Array.from(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return Object.fromEntries(chunk.columns.map((column) => [column.name, 'offsets' in column ? [raw(column.offsets), raw(column.values)] : [raw(column.values)]]));
}

const supported: Variant[] = [
  { name: 'ZSTD, v1 pages, dictionary', compression: Compression.ZSTD },
  { name: 'ZSTD, v2 pages, dictionary', compression: Compression.ZSTD, version: WriterVersion.V2 },
  { name: 'SNAPPY, PLAIN values, 64-byte pages (many pages per column chunk)', compression: Compression.SNAPPY, dictionary: false, pageBytes: 64 },
  { name: 'SNAPPY, v2 pages, 64-byte pages', compression: Compression.SNAPPY, version: WriterVersion.V2, pageBytes: 64 },
  { name: 'GZIP, dictionary, 256-byte pages', compression: Compression.GZIP, pageBytes: 256 },
  { name: 'ZSTD, 64-byte dictionary limit (PLAIN pages after dictionary pages), 128-byte pages', compression: Compression.ZSTD, pageBytes: 128, dictionaryBytes: 64 },
  { name: 'BROTLI, PLAIN values', compression: Compression.BROTLI, dictionary: false },
  { name: 'UNCOMPRESSED, v1 pages, PLAIN values', compression: Compression.UNCOMPRESSED, dictionary: false },
  { name: 'DELTA_BINARY_PACKED ids', compression: Compression.ZSTD, dictionary: false, encoding: Encoding.DELTA_BINARY_PACKED },
  { name: 'v2 pages without a dictionary (DELTA_BINARY_PACKED by default)', compression: Compression.ZSTD, version: WriterVersion.V2, dictionary: false },
];

test.each(supported)('the JavaScript reader decodes $name exactly as parquet-wasm', async (variant) => {
  const { dir, shard } = await datasetAs(variant);
  const { js, wasm } = await decodedBoth(dir, shard);
  expect(js).not.toBeInstanceOf(UnsupportedParquetError);
  expect((js as SampleChunk[]).map(bytesOf)).toEqual(wasm.map(bytesOf));
  expect(wasm.length).toBeGreaterThan(2);
});

const unsupported: Variant[] = [
  { name: 'LZ4_RAW', compression: Compression.LZ4_RAW },
];

test.each(unsupported)('$name: the JavaScript reader declines and the loader reads the row groups with parquet-wasm', async (variant) => {
  const { dir, shard } = await datasetAs(variant);
  const { js } = await decodedBoth(dir, shard);
  expect(js).toBeInstanceOf(UnsupportedParquetError);
  const js0 = await batchesOf(dir, { decoder: 'js' });
  expect(js0).toEqual(await batchesOf(dir, { decoder: 'parquet-wasm' }));
  expect(js0.length).toBeGreaterThan(0);
});

/** Batches as comparable plain data: labels, dense, sparse and (expanded) session features. */
async function batchesOf(dir: string, options: Parameters<typeof openDataset>[1]): Promise<unknown[]> {
  const batches = await collect(await openDataset(dir, { batchSize: 32, ...options }));
  const list = (array: ArrayLike<unknown>): unknown[] => Array.from(array);
  return batches.map((batch: Batch) => ({
    labels: Array.from(batch.labels),
    dense: Array.from(batch.dense),
    sparse: batch.sparse.keys.map((key) => [list(batch.sparse.get(key).offsets), list(batch.sparse.get(key).values)]),
    session: sessionKjt(batch).keys.map((key) => [list(sessionKjt(batch).get(key).offsets), list(sessionKjt(batch).get(key).values)]),
    deduplicated: batch.sessionSparse.constructor.name,
  }));
}

test('whole epochs: the same batches with either decoder, dedup on and off, with and without workers', async () => {
  const { dir } = await datasetAs({ name: 'default', compression: Compression.ZSTD, pageBytes: 512 });
  for (const dedup of [true, false]) {
    const reference = await batchesOf(dir, { decoder: 'parquet-wasm', dedup, shuffle: { seed: 3, window: 50 } });
    for (const workers of [0, 2]) expect(await batchesOf(dir, { decoder: 'js', dedup, workers, shuffle: { seed: 3, window: 50 } })).toEqual(reference);
  }
});

test('snappy: literals, short and long copies, overlapping copies; corrupt input is an error, not garbage', () => {
  // "abcabcabcabcX": literal "abc", copy (offset 3, length 9, overlapping), literal "X"
  const stream = Uint8Array.from([13, 2 << 2, 97, 98, 99, ((9 - 4) << 2) | 1, 3, 0 << 2, 88]);
  expect(Buffer.from(snappyDecompress(stream, 13)).toString()).toBe('abcabcabcabcX');
  // a 2-byte-offset copy of 5
  const long = Uint8Array.from([8, 2 << 2, 120, 121, 122, ((5 - 1) << 2) | 2, 3, 0]);
  expect(Buffer.from(snappyDecompress(long, 8)).toString()).toBe('xyzxyzxy');
  expect(() => snappyDecompress(Uint8Array.from([13, 2 << 2, 97, 98, 99, ((9 - 4) << 2) | 1, 9]), 13)).toThrow('snappy: a copy reaches outside the output');
  expect(() => snappyDecompress(stream, 12)).toThrow('the page header 12');
});

test('nulls (a value, a list, a list element) are a SchemaError naming the column; empty lists are rows', async () => {
  const write = (name: string, vector: Vector): string => {
    const path = temp.dir(`nulls-${serial++}.parquet`);
    writeFileSync(path, writeParquet(WasmTable.fromIPCStream(tableToIPC(new Table({ [name]: vector }), 'stream'))));
    return path;
  };
  const list = new List(new Field('element', new Int64(), true));
  const read = (path: string, type: 'float32' | 'list<int64>') => readRowGroupWithJs(path, 0, [{ name: 'x', type }], { rowGroups: 1, rows: 3 });
  await expect(read(write('x', vectorFromArray([1, null, 2], new Float32())), 'float32')).rejects.toThrow('column "x": expected no nulls, found a null value');
  await expect(read(write('x', vectorFromArray([[1n], null, []], list)), 'list<int64>')).rejects.toThrow('column "x": expected no nulls, found a null list or list element');
  await expect(read(write('x', vectorFromArray([[1n, null], [], [2n]], list)), 'list<int64>')).rejects.toThrow('column "x": expected no nulls');
  const empty = await read(write('x', vectorFromArray([[], [1n, 2n], []], list)), 'list<int64>');
  const column = materializeColumn(empty.columns[0]);
  expect(column.type === 'list<int64>' && [Array.from(column.offsets), Array.from(column.values)]).toEqual([[0, 0, 2, 2], [1n, 2n]]);
});
