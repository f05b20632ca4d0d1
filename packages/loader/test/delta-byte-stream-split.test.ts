/**
 * DELTA_BINARY_PACKED and BYTE_STREAM_SPLIT in the JavaScript reader: value for value against
 * the values written and against parquet-wasm reading the same files (written by datagen, or
 * rewritten by parquet-wasm for list values and v2 pages), and the delta decoder against a
 * BigInt twin on hand-made streams (bit widths 0 and 64, a last miniblock cut short).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Compression, Encoding, WriterPropertiesBuilder, WriterVersion, readParquet, writeParquet } from 'parquet-wasm/node';
import type { FeatureSchema } from '@recd/core';
import { ColumnEncoding, DatasetWriter, SampleChunk, openDatasetManifest, readShardChunks } from '@recd/datagen';
import { readRowGroupWithJs } from '../src/parquet/shard-reader';
import { deltaBinaryPackedToPlain } from '../src/parquet/delta-binary-packed';
import { byteStreamSplitNaive, byteStreamSplitToPlain } from '../src/parquet/byte-stream-split';
import { materializeColumn } from '../src/dictionary-ids';
import { tempRoot } from './helpers';

jest.setTimeout(120_000);

const temp = tempRoot('recd-loader-delta-bss-');
afterAll(() => temp.cleanup());
let serial = 0;
const schema: FeatureSchema = { features: [{ name: 'label', kind: 'label' }] };
const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;

interface Rows {
  ids: bigint[];
  scores: number[];
  lists: bigint[][];
}

function chunkOf({ ids, scores, lists }: Rows): SampleChunk {
  const offsets = new Int32Array(ids.length + 1);
  lists.forEach((list, i) => (offsets[i + 1] = offsets[i] + list.length));
  return {
    length: ids.length,
    columns: [
      { name: 'label', type: 'float32', values: Float32Array.from(scores, (s) => (s > 0 ? 1 : 0)) },
      { name: 'id', type: 'int64', values: BigInt64Array.from(ids) },
      { name: 'score', type: 'float32', values: Float32Array.from(scores) },
      { name: 'items', type: 'list<int64>', offsets, values: BigInt64Array.from(lists.flat()) },
    ],
  };
}

/** A dataset from datagen with `id` and `score` in the given encodings; `rewrite` re-encodes it with parquet-wasm (lists included). */
async function datasetOf(rows: Rows, rowGroupSize: number, encodings: Record<string, ColumnEncoding>, rewrite?: { version: WriterVersion; encoding: Encoding; pageBytes: number }) {
  const dir = temp.dir(`d${serial++}`);
  const writer = await DatasetWriter.create(dir, { shards: 1, rowGroupSize, dataPageSizeBytes: 256, columnEncodings: encodings });
  await writer.write(0, chunkOf(rows));
  const manifest = await writer.finish({ order: 'session', schema, sessionsPerShard: [0] });
  const shard = join(dir, manifest.shards[0].file);
  if (rewrite) {
    const properties = new WriterPropertiesBuilder()
      .setCompression(Compression.ZSTD)
      .setMaxRowGroupSize(rowGroupSize)
      .setWriterVersion(rewrite.version)
      .setDictionaryEnabled(false)
      .setEncoding(rewrite.encoding)
      .setColumnEncoding('label', Encoding.PLAIN)
      .setColumnEncoding('score', Encoding.BYTE_STREAM_SPLIT)
      .setDataPageSizeLimit(rewrite.pageBytes)
      .build();
    writeFileSync(shard, writeParquet(readParquet(readFileSync(shard)), properties));
    const file = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    file.shards[0].bytes = readFileSync(shard).length;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(file));
  }
  return { dir, shard };
}

/** Every column's bytes per row group, read by the JavaScript reader and by parquet-wasm. */
async function readBoth(dir: string, shard: string): Promise<{ js: number[][][]; wasm: number[][][] }> {
  const manifest = await openDatasetManifest(dir);
  const raw = (array: ArrayBufferView): number[] => Array.from(new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  const bytesOf = (chunk: SampleChunk) => chunk.columns.flatMap((column) => ('offsets' in column ? [raw(column.offsets), raw(column.values)] : [raw(column.values)]));
  const wasm: number[][][] = [];
  for await (const chunk of readShardChunks(shard, { batchSize: manifest.rowGroupSize })) wasm.push(bytesOf(chunk));
  const js: number[][][] = [];
  for (let g = 0; g < manifest.shards[0].rowGroups; g++) {
    const chunk = await readRowGroupWithJs(shard, g, manifest.columns, manifest.shards[0]);
    js.push(bytesOf({ length: chunk.length, columns: chunk.columns.map(materializeColumn) }));
  }
  return { js, wasm };
}

const int64 = fc.oneof(
  fc.bigInt({ min: MIN, max: MAX }),
  fc.constantFrom(MIN, MAX, 0n, -1n, 1n, MIN + 1n, MAX - 1n),
  fc.bigInt({ min: -1000n, max: 1000n }),
);
/** Row counts around the block (128) and miniblock (32) boundaries, and others. */
const length = fc.oneof(fc.constantFrom(1, 31, 32, 33, 127, 128, 129, 255, 256, 257, 300), fc.integer({ min: 1, max: 400 }));
const rowsArb = length.chain((n) =>
  fc.record({
    ids: fc.oneof(
      fc.array(int64, { minLength: n, maxLength: n }),
      // steady times with a few jumps back (negative deltas), as in session order
      fc.array(fc.integer({ min: -5000, max: 60 }), { minLength: n, maxLength: n }).map((steps) => {
        let t = 1_767_225_600n;
        return steps.map((s) => (t += BigInt(s)));
      }),
    ),
    scores: fc.array(fc.oneof(fc.float(), fc.float({ noNaN: true, min: 0, max: 1000 })), { minLength: n, maxLength: n }),
    // lists, with runs of empty ones (pages without values)
    lists: fc.array(fc.oneof(fc.constant<bigint[]>([]), fc.constant<bigint[]>([]), fc.array(int64, { maxLength: 5 })), { minLength: n, maxLength: n }),
  }),
);

test('datagen files with DELTA_BINARY_PACKED or BYTE_STREAM_SPLIT columns: the JavaScript reader decodes what was written, as parquet-wasm does', async () => {
  await fc.assert(
    fc.asyncProperty(rowsArb, fc.constantFrom<ColumnEncoding>('delta', 'byte-stream-split'), fc.integer({ min: 16, max: 200 }), async (rows, idEncoding, rowGroupSize) => {
      const { dir, shard } = await datasetOf(rows, rowGroupSize, { id: idEncoding, score: 'byte-stream-split' });
      const { js, wasm } = await readBoth(dir, shard);
      expect(js).toEqual(wasm);
      const ids: bigint[] = [];
      for (let g = 0; g < js.length; g++) ids.push(...new BigInt64Array(Uint8Array.from(js[g][1]).buffer));
      expect(ids).toEqual(rows.ids);
    }),
    { numRuns: 25 },
  );
});

test.each([
  ['v1 pages, DELTA_BINARY_PACKED list values', WriterVersion.V1, Encoding.DELTA_BINARY_PACKED],
  ['v2 pages, DELTA_BINARY_PACKED list values', WriterVersion.V2, Encoding.DELTA_BINARY_PACKED],
  ['v1 pages, BYTE_STREAM_SPLIT list values', WriterVersion.V1, Encoding.BYTE_STREAM_SPLIT],
  ['v2 pages, BYTE_STREAM_SPLIT list values', WriterVersion.V2, Encoding.BYTE_STREAM_SPLIT],
])('%s (small pages, some with no values): the JavaScript reader decodes as parquet-wasm', async (_name, version, encoding) => {
  await fc.assert(
    fc.asyncProperty(rowsArb, fc.constantFrom(64, 300), async (rows, pageBytes) => {
      const { dir, shard } = await datasetOf(rows, 150, {}, { version, encoding, pageBytes });
      const { js, wasm } = await readBoth(dir, shard);
      expect(js).toEqual(wasm);
    }),
    { numRuns: 8 },
  );
});

/** The naive twin: a DELTA_BINARY_PACKED encoder with chosen bit widths, in BigInt. */
function encodeDelta(values: bigint[], blockSize: number, miniblocks: number, widthOf: (block: number, miniblock: number, needed: number) => number, padLast: boolean): Uint8Array {
  const bytes: number[] = [];
  const uleb = (n: bigint) => {
    do {
      const byte = Number(n & 0x7fn);
      n >>= 7n;
      bytes.push(n > 0n ? byte | 0x80 : byte);
    } while (n > 0n);
  };
  const zigzag = (n: bigint) => uleb(BigInt.asUintN(64, (n << 1n) ^ (n >> 63n)));
  uleb(BigInt(blockSize));
  uleb(BigInt(miniblocks));
  uleb(BigInt(values.length));
  zigzag(BigInt.asIntN(64, values[0] ?? 0n));
  const deltas = values.slice(1).map((v, i) => BigInt.asIntN(64, v - values[i]));
  const per = blockSize / miniblocks;
  for (let b = 0; b * blockSize < deltas.length; b++) {
    const block = deltas.slice(b * blockSize, (b + 1) * blockSize);
    const min = block.reduce((a, d) => (d < a ? d : a));
    zigzag(min);
    const packed = block.map((d) => BigInt.asUintN(64, d - min));
    const used = Math.ceil(block.length / per);
    const widths = Array.from({ length: miniblocks }, (_, m) => {
      if (m >= used) return 0;
      const needed = packed.slice(m * per, (m + 1) * per).reduce((w, p) => Math.max(w, p.toString(2).length * (p > 0n ? 1 : 0)), 0);
      return widthOf(b, m, needed);
    });
    bytes.push(...widths);
    for (let m = 0; m < used; m++) {
      const last = m === used - 1 && (b + 1) * blockSize >= deltas.length;
      const count = last && !padLast ? packed.length - m * per : per;
      let bits = 0n;
      let n = 0;
      for (let j = 0; j < count; j++) {
        bits |= (packed[m * per + j] ?? 0n) << BigInt(n);
        n += widths[m];
      }
      for (let k = 0; k < Math.ceil(n / 8); k++) bytes.push(Number((bits >> BigInt(8 * k)) & 0xffn));
    }
  }
  return Uint8Array.from(bytes);
}

const words = (plain: Uint8Array): bigint[] => Array.from(new BigInt64Array(plain.buffer, plain.byteOffset, plain.length / 8));

test('DELTA_BINARY_PACKED against its BigInt twin: widths 0..64, wider than needed, last miniblock cut short or padded, any block shape', () => {
  fc.assert(
    fc.property(
      fc.array(int64, { maxLength: 600 }),
      fc.constantFrom([128, 4], [128, 1], [256, 8], [128, 2]),
      fc.integer({ min: 0, max: 64 }),
      fc.boolean(),
      (values, [blockSize, miniblocks], extra, padLast) => {
        const stream = encodeDelta(values, blockSize, miniblocks, (_b, m, needed) => Math.min(64, needed + ((m * extra) % 9 === 0 ? 0 : extra)), padLast);
        expect(words(deltaBinaryPackedToPlain(stream, 0, values.length, 'x'))).toEqual(values);
      },
    ),
    { numRuns: 300 },
  );
  const extremes = [MIN, MAX, MIN, 0n, MAX, -1n, MIN];
  expect(words(deltaBinaryPackedToPlain(encodeDelta(extremes, 128, 4, (_b, _m, needed) => needed, false), 0, extremes.length, 'x'))).toEqual(extremes);
  expect(words(deltaBinaryPackedToPlain(encodeDelta(extremes, 128, 4, () => 64, true), 0, extremes.length, 'x'))).toEqual(extremes);
});

test('corrupt or short DELTA_BINARY_PACKED and BYTE_STREAM_SPLIT data is an error naming the column, not garbage', () => {
  const stream = encodeDelta([5n, 1000n, -3n, 7n], 128, 4, (_b, _m, needed) => needed, false);
  expect(() => deltaBinaryPackedToPlain(stream, 0, 5, 'ts')).toThrow(/column "ts": DELTA_BINARY_PACKED holds 4 values, the page has 5/);
  expect(() => deltaBinaryPackedToPlain(stream.subarray(0, 6), 0, 4, 'ts')).toThrow(/column "ts": DELTA_BINARY_PACKED/);
  expect(() => deltaBinaryPackedToPlain(Uint8Array.of(100, 4, 1, 0), 0, 1, 'ts')).toThrow(/header: block size 100 with 4 miniblocks/);
  expect(() => byteStreamSplitToPlain(new Uint8Array(7), 0, 1, 8, 'id')).toThrow(/column "id": BYTE_STREAM_SPLIT values of 7 bytes for 1 values of 8 bytes/);
  expect(Array.from(byteStreamSplitToPlain(Uint8Array.of(9, 1, 2, 3, 4, 5, 6, 7, 8), 1, 2, 4, 'f'))).toEqual([1, 3, 5, 7, 2, 4, 6, 8]);
});

test('BYTE_STREAM_SPLIT: the word-assembling paths (widths 4 and 8) against the byte-by-byte twin, streams longer than the values included', () => {
  fc.assert(
    fc.property(fc.constantFrom(4, 8), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 }), (width, count, spare, pos) => {
      const stride = count + spare;
      const data = Uint8Array.from({ length: pos + width * stride }, (_, i) => (i * 151 + count) & 0xff);
      expect(Array.from(byteStreamSplitToPlain(data, pos, count, width, 'x'))).toEqual(Array.from(byteStreamSplitNaive(data, pos, count, width, stride)));
    }),
    { numRuns: 200 },
  );
});
