/**
 * A dataset written with `generateSamples`' defaults (ZSTD level 3, encodings chosen by trial) is
 * standard Parquet that another engine reads: DuckDB (the bench's peer, installed with the repo)
 * returns the same rows and values as @recd/datagen's own reader.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateSamples, getPreset, openDatasetManifest, readShardChunks, shardPaths, writeSyntheticLog } from '@recd/datagen';

const root = mkdtempSync(join(tmpdir(), 'recd-duckdb-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

test('DuckDB reads every column of a default dataset with the values recd wrote', async () => {
  const log = join(root, 'log.csv');
  const dir = join(root, 'samples');
  await writeSyntheticLog(log, { events: 12000, seed: 3 });
  await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output: dir, shards: 2, rowGroupSize: 4096 });
  const manifest = await openDatasetManifest(dir);
  // the trial picked more than PLAIN somewhere, so this covers the encodings it can choose
  const encodings = new Set(manifest.shards.flatMap((shard) => Object.values(shard.columnEncodings ?? {})));
  expect(encodings.size).toBeGreaterThan(1);

  // per column: the sum of its values (lists: of their values, and of their lengths), as decimal strings
  const expected = new Map<string, bigint>();
  const add = (key: string, value: bigint): void => {
    expected.set(key, (expected.get(key) ?? 0n) + value);
  };
  let floatSum = 0;
  for (const path of shardPaths(dir, manifest)) {
    for await (const chunk of readShardChunks(path, { batchSize: 4096 })) {
      for (const column of chunk.columns) {
        if (column.type === 'float32') for (const x of column.values) floatSum += x;
        else {
          for (const x of column.values) add(column.name, x);
          if (column.type === 'list<int64>') add(`len(${column.name})`, BigInt(column.offsets[chunk.length]));
        }
      }
    }
  }
  const connection = await (await DuckDBInstance.create(':memory:')).connect();
  const glob = join(dir, '*.parquet').replace(/'/g, "''");
  const columns = manifest.columns;
  const terms = columns.flatMap((column) =>
    column.type === 'list<int64>'
      ? [`coalesce(sum(list_sum(${column.name})), 0)::varchar`, `sum(len(${column.name}))::varchar`]
      : column.type === 'int64'
        ? [`sum(${column.name})::varchar`]
        : [`sum(${column.name}::double)`],
  );
  const reader = await connection.runAndReadAll(`select count(*)::varchar, ${terms.join(', ')} from read_parquet('${glob}')`);
  const [row] = reader.getRows();
  expect(BigInt(row[0] as string)).toBe(BigInt(manifest.rows));
  let i = 1;
  let duckFloatSum = 0;
  for (const column of columns) {
    if (column.type === 'float32') duckFloatSum += row[i++] as number;
    else {
      expect([column.name, BigInt(row[i++] as string)]).toEqual([column.name, expected.get(column.name) ?? 0n]);
      if (column.type === 'list<int64>') expect([column.name, BigInt(row[i++] as string)]).toEqual([column.name, expected.get(`len(${column.name})`) ?? 0n]);
    }
  }
  expect(Math.abs(duckFloatSum - floatSum)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(floatSum)));
}, 120_000);
