import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { FeatureSchema } from '@recd/core';
import { DatasetWriter, SampleChunk, readParquetLayout, readShardChunks, shardPaths, openDatasetManifest } from '../src/dataset';
import type { ColumnEncoding } from '../src/dataset';

jest.setTimeout(60_000);

const root = mkdtempSync(join(tmpdir(), 'recd-column-encodings-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let serial = 0;
const freshDir = (): string => join(root, `d${serial++}`);
const labelOnly: FeatureSchema = { features: [{ name: 'label', kind: 'label' }] };

/** label (float32), ts (int64), id (int64), score (float32), items (list<int64>). */
function chunkOf(rows: { label: number; ts: bigint; id: bigint; score: number; items: bigint[] }[]): SampleChunk {
  const offsets = new Int32Array(rows.length + 1);
  rows.forEach((row, i) => (offsets[i + 1] = offsets[i] + row.items.length));
  return {
    length: rows.length,
    columns: [
      { name: 'label', type: 'float32', values: Float32Array.from(rows, (row) => row.label) },
      { name: 'ts', type: 'int64', values: BigInt64Array.from(rows, (row) => row.ts) },
      { name: 'id', type: 'int64', values: BigInt64Array.from(rows, (row) => row.id) },
      { name: 'score', type: 'float32', values: Float32Array.from(rows, (row) => row.score) },
      { name: 'items', type: 'list<int64>', offsets, values: BigInt64Array.from(rows.flatMap((row) => row.items)) },
    ],
  };
}

/** Stored bytes of every column, floats as bit patterns (NaN and -0 compare exactly). */
async function readBack(dir: string): Promise<unknown[][]> {
  const [file] = shardPaths(dir, await openDatasetManifest(dir));
  const columns: unknown[][] = [];
  for await (const chunk of readShardChunks(file)) {
    chunk.columns.forEach((column, c) => {
      const out = (columns[c] ??= []);
      if (column.type === 'float32') out.push(...new Uint32Array(column.values.buffer, column.values.byteOffset, column.values.length));
      else if (column.type === 'int64') out.push(...column.values);
      else for (let i = 0; i + 1 < column.offsets.length; i++) out.push(Array.from(column.values.subarray(column.offsets[i], column.offsets[i + 1])));
    });
  }
  return columns;
}

async function write(dir: string, chunk: SampleChunk, columnEncodings?: Record<string, ColumnEncoding>): Promise<void> {
  const writer = await DatasetWriter.create(dir, { shards: 1, rowGroupSize: 50, columnEncodings });
  await writer.write(0, chunk);
  await writer.finish({ order: 'session', schema: labelOnly, sessionsPerShard: [0] });
}

const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const rows = fc.array(
  fc.record({ label: fc.constantFrom(0, 1), ts: fc.oneof(int64, fc.bigInt({ min: 0n, max: 2n ** 41n })), id: int64, score: fc.float(), items: fc.array(int64, { maxLength: 4 }) }),
  { maxLength: 120 },
);
const encodings = fc.record({
  label: fc.constantFrom<ColumnEncoding>('dictionary', 'plain', 'byte-stream-split'),
  ts: fc.constantFrom<ColumnEncoding>('dictionary', 'plain', 'delta', 'byte-stream-split'),
  id: fc.constantFrom<ColumnEncoding>('dictionary', 'plain', 'delta', 'byte-stream-split'),
  score: fc.constantFrom<ColumnEncoding>('dictionary', 'plain', 'byte-stream-split'),
});

test('any fitting encodings store exactly what the default encodings store', async () => {
  await fc.assert(
    fc.asyncProperty(rows, encodings, async (sampleRows, chosen) => {
      const chunk = chunkOf(sampleRows);
      const plainTwin = freshDir();
      const encoded = freshDir();
      await write(plainTwin, chunk);
      await write(encoded, chunk, chosen);
      expect(await readBack(encoded)).toEqual(await readBack(plainTwin));
      rmSync(plainTwin, { recursive: true });
      rmSync(encoded, { recursive: true });
    }),
    { numRuns: 15 },
  );
});

test('the file carries the chosen encodings', async () => {
  const dir = freshDir();
  const chunk = chunkOf(Array.from({ length: 200 }, (_, i) => ({ label: i % 2, ts: 1_767_225_600_000n + BigInt(i * 37), id: BigInt(i % 13), score: i / 7, items: [BigInt(i % 5)] })));
  await write(dir, chunk, { label: 'dictionary', ts: 'delta', id: 'byte-stream-split', score: 'byte-stream-split' });
  const [file] = shardPaths(dir, await openDatasetManifest(dir));
  const encodingsOf = new Map((await readParquetLayout(file)).columns.map((column) => [column.name, column.encodings]));
  expect(encodingsOf.get('label')).toContain('RLE_DICTIONARY');
  expect(encodingsOf.get('ts')).toContain('DELTA_BINARY_PACKED');
  expect(encodingsOf.get('ts')).not.toContain('RLE_DICTIONARY');
  expect(encodingsOf.get('id')).toContain('BYTE_STREAM_SPLIT');
  expect(encodingsOf.get('id')).not.toContain('RLE_DICTIONARY');
  expect(encodingsOf.get('score')).toContain('BYTE_STREAM_SPLIT');
  expect(encodingsOf.get('items')).toContain('RLE_DICTIONARY');
});

test('an encoding that does not fit its column, an unknown column or encoding, is refused', async () => {
  const chunk = chunkOf([{ label: 1, ts: 1n, id: 2n, score: 0.5, items: [3n] }]);
  await expect(write(freshDir(), chunk, { score: 'delta' })).rejects.toThrow(/columnEncodings.score: delta does not apply to float32 columns/);
  await expect(write(freshDir(), chunk, { items: 'plain' })).rejects.toThrow(/does not apply to list<int64> columns/);
  await expect(write(freshDir(), chunk, { missing: 'plain' })).rejects.toThrow(/no column "missing"/);
  await expect(DatasetWriter.create(freshDir(), { shards: 1, columnEncodings: { id: 'zigzag' as ColumnEncoding } })).rejects.toThrow(/expected columnEncodings.id to be dictionary, plain, delta, byte-stream-split/);
});

/** Paths of this process's open file descriptors that lie inside `dir`. */
function openFilesIn(dir: string): string[] {
  return readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      return target.startsWith(`${dir}/`) ? [target] : [];
    } catch {
      return []; // closed while listing
    }
  });
}

test.each([0, 1])('a refused encoding leaves no open file and no temporary shard behind (encoderThreads %i)', async (encoderThreads) => {
  const dir = freshDir();
  const writer = await DatasetWriter.create(dir, { shards: 1, columnEncodings: { score: 'delta' }, encoderThreads });
  await expect(writer.write(0, chunkOf([{ label: 1, ts: 1n, id: 2n, score: 0.5, items: [3n] }]))).rejects.toThrow(/does not apply to float32 columns/);
  expect(openFilesIn(dir)).toEqual([]);
  expect(readdirSync(dir)).toEqual([]);
  await writer.abort();
});
