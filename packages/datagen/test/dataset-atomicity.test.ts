import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeatureSchema, RecdError, SchemaError } from '@recd/core';
import { DatasetWriter, MANIFEST_FILE, SampleChunk, openDatasetManifest } from '../src/dataset';

jest.setTimeout(30_000);

const root = mkdtempSync(join(tmpdir(), 'recd-dataset-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let serial = 0;
const freshDir = (): string => join(root, `d${serial++}`);

const schema: FeatureSchema = {
  features: [
    { name: 'label', kind: 'label' },
    { name: 'user_id', kind: 'sparse', tableSize: 100, dedupGroup: 'session' },
  ],
};

/** `n` samples; session ids given per row. */
function chunk(sessions: number[]): SampleChunk {
  return {
    length: sessions.length,
    columns: [
      { name: 'label', type: 'float32', values: Float32Array.from(sessions, (s) => s % 2) },
      { name: 'user_id', type: 'int64', values: BigInt64Array.from(sessions, (s) => BigInt(s * 7)) },
      { name: 'session_id', type: 'int64', values: BigInt64Array.from(sessions, BigInt) },
    ],
  };
}

const visible = (dir: string): string[] => readdirSync(dir).filter((name) => !name.startsWith('.')).sort();

test('nothing looks like a dataset before finish: shards stay hidden temporaries, no manifest', async () => {
  const dir = freshDir();
  const writer = await DatasetWriter.create(dir, { shards: 2, rowGroupSize: 2 });
  await writer.write(0, chunk([1, 1, 2, 2, 2]));
  await writer.write(1, chunk([3]));
  expect(visible(dir)).toEqual([]);
  expect(readdirSync(dir).every((name) => name.endsWith('.tmp'))).toBe(true);
  await expect(openDatasetManifest(dir)).rejects.toThrow(/no manifest\.json: incomplete dataset/);
  const manifest = await writer.finish({ order: 'session', schema });
  expect(visible(dir)).toEqual([MANIFEST_FILE, 'part-00000.parquet', 'part-00001.parquet']);
  expect(readdirSync(dir).filter((name) => name.startsWith('.'))).toEqual([]);
  expect(manifest).toMatchObject({ rows: 6, sessions: 3, order: 'session', codec: 'zstd', rowGroupSize: 2 });
  expect(manifest.shards.map(({ rows, sessions, rowGroups }) => ({ rows, sessions, rowGroups }))).toEqual([
    { rows: 5, sessions: 2, rowGroups: 3 },
    { rows: 1, sessions: 1, rowGroups: 1 },
  ]);
  expect(await openDatasetManifest(dir)).toEqual(manifest);
});

test('a writer that never finishes (a crash) leaves an incomplete dataset, which a new writer may replace', async () => {
  const dir = freshDir();
  const crashed = await DatasetWriter.create(dir, { shards: 1 });
  await crashed.write(0, chunk([1, 2]));
  await expect(openDatasetManifest(dir)).rejects.toThrow(RecdError);
  const writer = await DatasetWriter.create(dir, { shards: 1 });
  await writer.write(0, chunk([5]));
  expect((await writer.finish({ order: 'time', schema })).rows).toBe(1);
  await crashed.abort(); // removes only its own files
  expect((await openDatasetManifest(dir)).rows).toBe(1);
});

test('abort removes every file it wrote, and the folder it created', async () => {
  const parent = freshDir();
  const dir = join(parent, 'nested', 'samples');
  const writer = await DatasetWriter.create(dir, { shards: 3 });
  await writer.write(0, chunk([1, 1]));
  await writer.write(2, chunk([2]));
  await writer.abort();
  expect(existsSync(parent)).toBe(false);
  await expect(writer.write(0, chunk([1]))).rejects.toThrow(/aborted/);

  const existing = freshDir();
  mkdirSync(existing);
  writeFileSync(join(existing, 'notes.txt'), 'keep me');
  const second = await DatasetWriter.create(existing, { shards: 2 });
  await second.write(1, chunk([4]));
  await second.abort();
  expect(readdirSync(existing)).toEqual(['notes.txt']);
});

test('a refused finish leaves the writer open, and abort still removes everything', async () => {
  const dir = freshDir();
  const writer = await DatasetWriter.create(dir, { shards: 1, sessionColumn: null });
  await writer.write(0, chunk([1]));
  await expect(writer.finish({ order: 'session', schema })).rejects.toThrow(/session counts unknown/);
  // a refused finish leaves the writer open: it can finish with the counts, or abort
  await writer.abort();
  expect(existsSync(dir)).toBe(false);
});

test('a folder with a manifest is refused unless overwrite, which removes the old manifest first', async () => {
  const dir = freshDir();
  const first = await DatasetWriter.create(dir, { shards: 2, filePrefix: 'old' });
  await first.write(0, chunk([1]));
  await first.finish({ order: 'session', schema });
  await expect(DatasetWriter.create(dir, { shards: 1 })).rejects.toThrow(/already holds a dataset.*overwrite/);

  const second = await DatasetWriter.create(dir, { shards: 1, overwrite: true });
  expect(visible(dir)).toEqual([]); // old manifest and the shards it listed are gone before any write
  await second.write(0, chunk([7, 7]));
  const manifest = await second.finish({ order: 'session', schema });
  expect(visible(dir)).toEqual([MANIFEST_FILE, 'part-00000.parquet']);
  expect(manifest.rows).toBe(2);
});

test('an unwritable output folder gives a RecdError naming the path', async () => {
  const blocker = join(freshDir());
  writeFileSync(blocker, 'a file, not a folder');
  const dir = join(blocker, 'samples');
  await expect(DatasetWriter.create(dir, { shards: 1 })).rejects.toThrow(RecdError);
  await expect(DatasetWriter.create(dir, { shards: 1 })).rejects.toThrow(dir);
});

test('chunks must agree on columns; finish checks the schema against them', async () => {
  const dir = freshDir();
  const writer = await DatasetWriter.create(dir, { shards: 1 });
  await writer.write(0, chunk([1]));
  const wrongType: SampleChunk = { length: 1, columns: [{ name: 'label', type: 'int64', values: BigInt64Array.of(1n) }] };
  await expect(writer.write(0, wrongType)).rejects.toThrow(SchemaError);
  await expect(writer.write(0, wrongType)).rejects.toThrow(/expected columns \[label:float32, user_id:int64, session_id:int64\], got \[label:int64\]/);
  const badOffsets: SampleChunk = { length: 1, columns: [{ name: 'h', type: 'list<int64>', offsets: Int32Array.of(0, 2), values: BigInt64Array.of(1n) }] };
  await expect(writer.write(0, badOffsets)).rejects.toThrow(/offsets\[1\] = values.length = 1, got 2/);
  const missing: FeatureSchema = { features: [...schema.features, { name: 'item_id', kind: 'sparse', tableSize: 9 }] };
  await expect(writer.finish({ order: 'session', schema: missing })).rejects.toThrow(/feature "item_id" \(sparse\) has no column/);
  expect((await writer.finish({ order: 'session', schema })).rows).toBe(1);
});

test('sessions are distinct ids per shard, whatever the order; a session split over shards counts once in all', async () => {
  const dir = freshDir();
  const writer = await DatasetWriter.create(dir, { shards: 2 });
  await writer.write(0, chunk([5, 1, 5, 2, 1]));
  await writer.write(1, chunk([2, 3]));
  await writer.write(0, chunk([1, 9]));
  const manifest = await writer.finish({ order: 'random', schema });
  expect(manifest.shards.map((shard) => shard.sessions)).toEqual([4, 2]);
  expect(manifest.sessions).toBe(5);
});

test('an empty shard is a valid Parquet file with the schema and no row groups', async () => {
  const dir = freshDir();
  const writer = await DatasetWriter.create(dir, { shards: 3 });
  await writer.write(1, chunk([1]));
  await writer.write(1, chunk([]));
  const manifest = await writer.finish({ order: 'session', schema, sessionsPerShard: [0, 1, 0] });
  expect(manifest.shards.map((shard) => [shard.rows, shard.rowGroups])).toEqual([[0, 0], [1, 1], [0, 0]]);
  await expect(DatasetWriter.create(dir, { shards: 1 })).rejects.toThrow(/already holds/);
});
