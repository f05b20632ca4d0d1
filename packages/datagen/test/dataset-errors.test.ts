import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { FeatureSchema, InputError, RecdError } from '@recd/core';
import { DatasetWriter, MANIFEST_FILE, SampleChunk, openDatasetManifest, readShardChunks } from '../src/dataset';

jest.setTimeout(30_000);

const root = mkdtempSync(join(tmpdir(), 'recd-dataset-errors-'));
let duck: DuckDBConnection;
beforeAll(async () => {
  duck = await (await DuckDBInstance.create()).connect();
});
afterAll(() => {
  duck.closeSync();
  rmSync(root, { recursive: true, force: true });
});
let serial = 0;
const freshDir = (): string => join(root, `d${serial++}`);

const schema: FeatureSchema = { features: [{ name: 'label', kind: 'label' }, { name: 'history', kind: 'sequence', tableSize: 50, maxLength: 8 }] };

function chunk(n: number): SampleChunk {
  const offsets = Int32Array.from({ length: n + 1 }, (_, i) => 4 * i);
  return {
    length: n,
    columns: [
      { name: 'label', type: 'float32', values: Float32Array.from({ length: n }, (_, i) => i % 2) },
      { name: 'history', type: 'list<int64>', offsets, values: BigInt64Array.from({ length: 4 * n }, (_, i) => BigInt((i * 7919) % 1000)) },
    ],
  };
}

/** A finished dataset of one shard with three row groups of 100 rows. */
async function dataset(): Promise<{ dir: string; shard: string }> {
  const dir = freshDir();
  const writer = await DatasetWriter.create(dir, { shards: 1, rowGroupSize: 100 });
  await writer.write(0, chunk(300));
  await writer.finish({ order: 'random', schema, sessionsPerShard: [1] });
  return { dir, shard: join(dir, 'part-00000.parquet') };
}

async function drain(path: string, options = {}): Promise<number> {
  let rows = 0;
  for await (const part of readShardChunks(path, options)) rows += part.length;
  return rows;
}

test('a truncated shard: the manifest check and the reader both name the file', async () => {
  const { dir, shard } = await dataset();
  const bytes = readFileSync(shard).length;
  truncateSync(shard, bytes - 100);
  await expect(openDatasetManifest(dir)).rejects.toThrow(`shard file ${shard}: expected ${bytes} bytes`);
  await expect(drain(shard)).rejects.toThrow(InputError);
  await expect(drain(shard)).rejects.toThrow(`${shard}: not a readable Parquet file`);
  writeFileSync(shard, 'PAR1');
  await expect(drain(shard)).rejects.toThrow(shard);
});

test('a corrupt page: the error names the file and the row group; rows before it were read; the process lives on', async () => {
  const { shard } = await dataset();
  const reader = await duck.runAndReadAll(
    `SELECT data_page_offset AS offset FROM parquet_metadata('${shard}') WHERE row_group_id = 1 AND path_in_schema LIKE 'history%'`,
  );
  const offset = Number(reader.getRowObjectsJS()[0].offset);
  const bytes = readFileSync(shard);
  for (let i = offset; i < offset + 24; i++) bytes[i] ^= 0x5a; // the page header
  writeFileSync(shard, bytes);
  let rows = 0;
  const read = async (): Promise<void> => {
    for await (const part of readShardChunks(shard)) rows += part.length;
  };
  await expect(read()).rejects.toThrow(new RegExp(`${shard}: row group 1: `));
  expect(rows).toBe(100);
  expect(await drain(shard, { rowGroups: [2, 0] })).toBe(200);
});

test('a missing shard file is named', async () => {
  const { dir, shard } = await dataset();
  rmSync(shard);
  await expect(openDatasetManifest(dir)).rejects.toThrow(`shard file ${shard} (listed in ${join(dir, MANIFEST_FILE)}) is missing`);
  await expect(drain(shard)).rejects.toThrow(shard);
});

test('a missing folder, a missing manifest, another format or version, bad JSON, a malformed field', async () => {
  await expect(openDatasetManifest(join(root, 'nowhere'))).rejects.toThrow(`dataset folder ${join(root, 'nowhere')}: does not exist`);
  const { dir } = await dataset();
  const file = join(dir, MANIFEST_FILE);
  const manifest = JSON.parse(readFileSync(file, 'utf8'));
  const rewrite = (value: unknown): void => writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));

  rewrite({ ...manifest, version: 2 });
  await expect(openDatasetManifest(dir)).rejects.toThrow(`${file} field "version": expected 1, got 2`);
  rewrite({ ...manifest, format: 'something-else' });
  await expect(openDatasetManifest(dir)).rejects.toThrow(`${file} field "format": expected "recd-samples"`);
  rewrite({ ...manifest, rows: 7 });
  await expect(openDatasetManifest(dir)).rejects.toThrow(`${file} field "rows": expected the sum of shards[].rows = 300, got 7`);
  rewrite({ ...manifest, shards: [{ ...manifest.shards[0], file: '../escape.parquet' }] });
  await expect(openDatasetManifest(dir)).rejects.toThrow(`${file} field "shards[0].file"`);
  rewrite({ ...manifest, schema: { features: [{ name: 'label', kind: 'label' }, { name: 'gone', kind: 'dense' }] } });
  await expect(openDatasetManifest(dir)).rejects.toThrow(/field "schema": .*feature "gone" \(dense\) has no column/);
  rewrite('{"format": "recd-samples",');
  await expect(openDatasetManifest(dir)).rejects.toThrow(`${file}: not valid JSON`);
  rmSync(file);
  await expect(openDatasetManifest(dir)).rejects.toThrow(`${dir}: no manifest.json: incomplete dataset`);
});

test('reader options are checked against the file: unknown column, unknown row group', async () => {
  const { shard } = await dataset();
  await expect(drain(shard, { columns: ['label', 'nope'] })).rejects.toThrow(`${shard} field "nope": no such column; the file has label, history`);
  await expect(drain(shard, { rowGroups: [3] })).rejects.toThrow(`expected row groups in [0, 3), got 3`);
  await expect(drain(shard, { batchSize: 0 })).rejects.toThrow(RecdError);
});

test('files written by DuckDB read too; a column of another type or with nulls is named', async () => {
  const path = join(freshDir() + '.parquet');
  await duck.run(`COPY (SELECT i::FLOAT AS label, i::BIGINT AS id, [i, i + 1]::BIGINT[] AS ids, 'x' || i AS name FROM range(10) t(i)) TO '${path}' (FORMAT parquet)`);
  let rows = 0;
  for await (const part of readShardChunks(path, { columns: ['ids', 'id', 'label'] })) {
    rows += part.length;
    expect(part.columns.map((column) => `${column.name}:${column.type}`)).toEqual(['ids:list<int64>', 'id:int64', 'label:float32']);
    expect(Array.from((part.columns[0] as { values: BigInt64Array }).values.subarray(0, 4))).toEqual([0n, 1n, 1n, 2n]);
  }
  expect(rows).toBe(10);
  await expect(drain(path)).rejects.toThrow(`${path} field "name": expected a float32, int64 or list<int64> column, got Utf8`);

  const withNulls = join(freshDir() + '.parquet');
  await duck.run(`COPY (SELECT CASE WHEN i = 3 THEN NULL ELSE i END::BIGINT AS id FROM range(5) t(i)) TO '${withNulls}' (FORMAT parquet)`);
  await expect(drain(withNulls)).rejects.toThrow(`${withNulls} row group 0 column "id": expected no nulls, got 1`);
});
