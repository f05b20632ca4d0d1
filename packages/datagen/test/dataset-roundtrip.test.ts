import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DuckDBInstance } from '@duckdb/node-api';
import type { FeatureSchema } from '@recd/core';
import { Codec, DatasetWriter, SampleChunk, SampleColumn, SampleColumnType, openDatasetManifest, readShardChunks, shardPaths } from '../src/dataset';

jest.setTimeout(60_000);

const root = mkdtempSync(join(tmpdir(), 'recd-dataset-roundtrip-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let serial = 0;
const freshDir = (): string => join(root, `d${serial++}`);

const INT64_EDGES = [-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 0n, -1n];
const int64 = fc.oneof(fc.constantFrom(...INT64_EDGES), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
const float32 = fc.float();
const idList = fc.oneof(fc.constant([] as bigint[]), fc.array(int64, { maxLength: 6 }));

type Row = (number | bigint | bigint[])[];

/** Rows -> a chunk with fresh typed arrays (the writer must not care how they were made). */
function chunkOf(columns: { name: string; type: SampleColumnType }[], rows: Row[]): SampleChunk {
  return {
    length: rows.length,
    columns: columns.map(({ name, type }, c): SampleColumn => {
      if (type === 'float32') return { name, type, values: Float32Array.from(rows, (row) => row[c] as number) };
      if (type === 'int64') return { name, type, values: BigInt64Array.from(rows, (row) => row[c] as bigint) };
      const lists = rows.map((row) => row[c] as bigint[]);
      const offsets = new Int32Array(rows.length + 1);
      lists.forEach((list, i) => (offsets[i + 1] = offsets[i] + list.length));
      return { name, type, offsets, values: BigInt64Array.from(lists.flat()) };
    }),
  };
}

/** Chunk -> rows, floats as bit patterns so NaN and -0 compare exactly. */
function rowsOf(chunk: SampleChunk): Row[] {
  return Array.from({ length: chunk.length }, (_, i) =>
    chunk.columns.map((column) => {
      if (column.type === 'float32') return new Uint32Array(column.values.buffer, column.values.byteOffset, column.values.length)[i];
      if (column.type === 'int64') return column.values[i];
      return Array.from(column.values.subarray(column.offsets[i], column.offsets[i + 1]));
    }),
  );
}

async function readAll(path: string, options = {}): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const chunk of readShardChunks(path, options)) rows.push(...rowsOf(chunk));
  return rows;
}

/** A label column, then up to four columns of random types. */
const columnSpecs = fc
  .uniqueArray(fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), type: fc.constantFrom<SampleColumnType>('float32', 'int64', 'list<int64>') }), {
    maxLength: 4,
    selector: (column) => column.name,
  })
  .map((columns) => [{ name: 'label', type: 'float32' as SampleColumnType }, ...columns]);
const valueOf = (type: SampleColumnType): fc.Arbitrary<number | bigint | bigint[]> => (type === 'float32' ? float32 : type === 'int64' ? int64 : idList);

const writesFor = (columns: { name: string; type: SampleColumnType }[], shards: number) =>
  fc.array(fc.record({ shard: fc.nat(shards - 1), rows: fc.array(fc.tuple(...columns.map(({ type }) => valueOf(type))), { maxLength: 40 }) }), { maxLength: 5 });

const scenario = fc
  .record({ columns: columnSpecs, shards: fc.integer({ min: 1, max: 3 }), rowGroupSize: fc.integer({ min: 1, max: 25 }) })
  .chain((setup) => fc.record({ setup: fc.constant(setup), writes: writesFor(setup.columns, setup.shards), batchSize: fc.integer({ min: 1, max: 50 }) }));

/** Only the label: the round trip is about columns, not features. */
const labelOnly: FeatureSchema = { features: [{ name: 'label', kind: 'label' }] };

test('random chunks round-trip exactly through writer and reader: several shards, row groups, batch sizes', async () => {
  await fc.assert(
    fc.asyncProperty(scenario, async ({ setup, writes, batchSize }) => {
      const { columns, shards, rowGroupSize } = setup;
      const dir = freshDir();
      const writer = await DatasetWriter.create(dir, { shards, rowGroupSize, codec: 'snappy' });
      const expected: Row[][] = Array.from({ length: shards }, () => []);
      const nonEmpty = writes.length > 0 ? writes : [{ shard: 0, rows: [] }];
      for (const { shard, rows } of nonEmpty) {
        const chunk = chunkOf(columns, rows);
        await writer.write(shard, chunk);
        expected[shard].push(...rowsOf(chunk));
      }
      const manifest = await writer.finish({ order: 'random', schema: labelOnly, sessionsPerShard: Array(shards).fill(0) });
      expect(manifest.shards.map((shard) => shard.rows)).toEqual(expected.map((rows) => rows.length));
      expect(manifest.shards.map((shard) => shard.rowGroups)).toEqual(expected.map((rows) => Math.ceil(rows.length / rowGroupSize)));
      const paths = shardPaths(dir, await openDatasetManifest(dir));
      for (let shard = 0; shard < shards; shard++) {
        const sizes: number[] = [];
        const got: Row[] = [];
        for await (const chunk of readShardChunks(paths[shard], { batchSize })) {
          sizes.push(chunk.length);
          got.push(...rowsOf(chunk));
        }
        expect(got).toEqual(expected[shard]);
        expect(sizes.every((size) => size <= Math.min(batchSize, rowGroupSize))).toBe(true);
      }
      rmSync(dir, { recursive: true });
    }),
    { numRuns: 12 },
  );
});

/** 3 shards (shard 2 never written), two row groups in shard 0, the edge ids, empty lists. */
function fixedChunks(): { shard: number; chunk: SampleChunk }[] {
  const columns = [
    { name: 'label', type: 'float32' as const },
    { name: 'user_id', type: 'int64' as const },
    { name: 'history', type: 'list<int64>' as const },
  ];
  const rows = (start: number, n: number): Row[] =>
    Array.from({ length: n }, (_, i) => {
      const k = start + i;
      return [k % 3 === 0 ? 1 : 0, INT64_EDGES[k % INT64_EDGES.length], k % 4 === 0 ? [] : [BigInt(k), INT64_EDGES[k % 7], 2n ** 53n + BigInt(k)]];
    });
  return [
    { shard: 0, chunk: chunkOf(columns, rows(0, 70)) },
    { shard: 1, chunk: chunkOf(columns, rows(70, 30)) },
    { shard: 0, chunk: chunkOf(columns, rows(100, 50)) },
  ];
}

const schema: FeatureSchema = {
  features: [
    { name: 'label', kind: 'label' },
    { name: 'user_id', kind: 'sparse', tableSize: 1000, dedupGroup: 'session' },
    { name: 'history', kind: 'sequence', tableSize: 1000, maxLength: 3, dedupGroup: 'session' },
  ],
};

describe.each<Codec>(['zstd', 'snappy', 'gzip', 'none'])('codec %s', (codec) => {
  const dir = freshDir();
  const writes = fixedChunks();

  beforeAll(async () => {
    const writer = await DatasetWriter.create(dir, { shards: 3, codec, rowGroupSize: 64 });
    for (const { shard, chunk } of writes) await writer.write(shard, chunk);
    await writer.finish({ order: 'session', schema, sessionsPerShard: [2, 1, 0] });
  });

  test('reads back what was written, row groups in any order and a column subset', async () => {
    const manifest = await openDatasetManifest(dir);
    expect(manifest.codec).toBe(codec);
    expect(manifest.shards.map((shard) => [shard.rows, shard.rowGroups])).toEqual([[120, 2], [30, 1], [0, 0]]);
    const [path0, path1, path2] = shardPaths(dir, manifest);
    const shard0 = [...rowsOf(writes[0].chunk), ...rowsOf(writes[2].chunk)];
    expect(await readAll(path0)).toEqual(shard0);
    expect(await readAll(path1)).toEqual(rowsOf(writes[1].chunk));
    expect(await readAll(path2)).toEqual([]);
    const reversed = await readAll(path0, { rowGroups: [1, 0], columns: ['history', 'label'] });
    expect(reversed).toEqual([...shard0.slice(64), ...shard0.slice(0, 64)].map(([label, , history]) => [history, label]));
  });

  test('DuckDB reads the same files as standard Parquet', async () => {
    const connection = await (await DuckDBInstance.create()).connect();
    try {
      const glob = join(dir, '*.parquet').replace(/'/g, "''");
      const reader = await connection.runAndReadAll(
        `SELECT count(*) AS n, sum(user_id) AS users, sum(len(history)) AS ids, sum(list_sum(history::HUGEINT[])) AS idSum, sum(label) AS labels FROM read_parquet('${glob}')`,
      );
      const [row] = reader.getRowObjectsJS();
      const all = writes.flatMap(({ chunk }) => rowsOf(chunk));
      const users = all.reduce((sum, r) => sum + (r[1] as bigint), 0n);
      const ids = all.flatMap((r) => r[2] as bigint[]);
      expect(row.n).toBe(150n);
      expect(row.users).toBe(users);
      expect(row.ids).toBe(BigInt(ids.length));
      expect(row.idSum).toBe(ids.reduce((a, b) => a + b, 0n));
      expect(row.labels).toBe(all.filter((r) => r[0] !== 0).length);
    } finally {
      connection.closeSync();
    }
  });
});

test('two columns sharing one array survive Arrow IPC (a buffer overlapping the previous one is copied)', async () => {
  const dir = freshDir();
  const shared = BigInt64Array.from([1n, -(2n ** 63n), 3n]);
  const label = Float32Array.from([0, 1, 0]);
  const writer = await DatasetWriter.create(dir, { shards: 1, sessionColumn: null });
  await writer.write(0, {
    length: 3,
    columns: [
      { name: 'label', type: 'float32', values: label },
      { name: 'a', type: 'int64', values: shared },
      { name: 'b', type: 'int64', values: shared },
      { name: 'c', type: 'list<int64>', offsets: Int32Array.from([0, 1, 2, 3]), values: shared },
    ],
  });
  await writer.finish({ order: 'random', schema: labelOnly, sessionsPerShard: [3] });
  expect(await readAll(join(dir, 'part-00000.parquet'))).toEqual([
    [0, 1n, 1n, [1n]],
    [new Uint32Array(Float32Array.of(1).buffer)[0], -(2n ** 63n), -(2n ** 63n), [-(2n ** 63n)]],
    [0, 3n, 3n, [3n]],
  ]);
});

test('chunks read back are views of the decoded bytes, not copies per column', async () => {
  const dir = freshDir();
  const writer = await DatasetWriter.create(dir, { shards: 1, sessionColumn: null });
  await writer.write(0, fixedChunks()[0].chunk);
  await writer.finish({ order: 'random', schema, sessionsPerShard: [1] });
  for await (const chunk of readShardChunks(join(dir, 'part-00000.parquet'))) {
    const buffers = new Set(chunk.columns.map((column) => column.values.buffer));
    expect(buffers.size).toBe(1);
  }
});
