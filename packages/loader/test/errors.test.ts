import { openAsBlob, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ParquetFile } from 'parquet-wasm/node';
import { FeatureSchema, InputError } from '@recd/core';
import { DatasetWriter, MANIFEST_FILE } from '@recd/datagen';
import { Batch, openDataset } from '@recd/loader';
import { chunksOf, sessionLengths, tempRoot, writeDataset } from './helpers';

jest.setTimeout(30_000);

const temp = tempRoot('recd-loader-errors-');
afterAll(() => temp.cleanup());
let serial = 0;
const chunks = chunksOf(sessionLengths(60, 6), 400); // about 200 rows: one shard, row groups of 50

async function dataset(): Promise<{ dir: string; shard: string }> {
  const dir = temp.dir(`d${serial++}`);
  await writeDataset(dir, chunks, { shards: 1, rowGroupSize: 50 });
  return { dir, shard: join(dir, 'part-00000.parquet') };
}

/**
 * Where a column chunk starts: writers lay the chunks out one after another from byte 4 (after
 * "PAR1"), row group by row group, in column order (checked against DuckDB's data_page_offset).
 */
async function columnChunkStart(path: string, rowGroup: number, column: string): Promise<number> {
  const file = await ParquetFile.fromFile(await openAsBlob(path));
  try {
    let offset = 4;
    const groups = file.metadata().rowGroups();
    for (let g = 0; g < groups.length; g++) {
      for (const chunk of groups[g].columns()) {
        if (g === rowGroup && chunk.columnPath()[0] === column) return offset;
        offset += chunk.compressedSize();
      }
    }
    throw new Error(`no column ${column} in row group ${rowGroup}`);
  } finally {
    file.free();
  }
}

/** Reads until the end or an error; returns the rows read before it and the error. */
async function drain(dir: string, workers = 0): Promise<{ rows: number; error: unknown }> {
  let rows = 0;
  try {
    for await (const batch of await openDataset(dir, { batchSize: 25, workers, prefetch: { depth: 1, concurrency: 1 } })) rows += (batch as Batch).size;
  } catch (error) {
    return { rows, error };
  }
  return { rows, error: undefined };
}

test('a corrupt page stops the epoch with an error naming the file and row group, with or without workers', async () => {
  const { dir, shard } = await dataset();
  const offset = await columnChunkStart(shard, 1, 'history');
  const bytes = readFileSync(shard);
  for (let i = offset; i < offset + 24; i++) bytes[i] ^= 0x5a;
  writeFileSync(shard, bytes);
  for (const workers of [0, 1]) {
    const { rows, error } = await drain(dir, workers);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(new RegExp(`^${shard}: row group 1: `));
    expect(rows).toBe(50); // row group 0 was delivered, nothing after the failure
  }
});

test('a shard truncated or removed after opening: the error names the file; before opening, openDataset refuses', async () => {
  const { dir, shard } = await dataset();
  const opened = await openDataset(dir, { batchSize: 25 });
  truncateSync(shard, readFileSync(shard).length - 100);
  await expect(collectRows(opened)).rejects.toThrow(new RegExp(`^${shard}: row group \\d: `));
  await expect(openDataset(dir)).rejects.toThrow(`shard file ${shard}: expected`);
  rmSync(shard);
  await expect(collectRows(opened)).rejects.toThrow(shard);
  await expect(openDataset(dir)).rejects.toThrow(`shard file ${shard} (listed in ${join(dir, MANIFEST_FILE)}) is missing`);
});

async function collectRows(iterable: AsyncIterable<Batch>): Promise<number> {
  let rows = 0;
  for await (const batch of iterable) rows += batch.size;
  return rows;
}

test('a shard whose columns or row counts do not match the manifest: the error names file, row group and column', async () => {
  const { dir, shard } = await dataset();
  // another file in its place: same column names, but "history" is an int64 column
  const otherDir = temp.dir(`other${serial++}`);
  const otherSchema: FeatureSchema = { features: [{ name: 'label', kind: 'label' }, { name: 'history', kind: 'sparse', tableSize: 10 }] };
  const writer = await DatasetWriter.create(otherDir, { shards: 1, rowGroupSize: 50 });
  const n = 120;
  await writer.write(0, { length: n, columns: [{ name: 'label', type: 'float32', values: new Float32Array(n) }, { name: 'history', type: 'int64', values: new BigInt64Array(n) }] });
  await writer.finish({ order: 'session', schema: otherSchema, sessionsPerShard: [1] });
  writeFileSync(shard, readFileSync(join(otherDir, 'part-00000.parquet')));
  const manifestFile = join(dir, MANIFEST_FILE);
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
  manifest.shards[0].bytes = readFileSync(shard).length;
  writeFileSync(manifestFile, JSON.stringify(manifest));
  const { error } = await drain(dir);
  expect((error as Error).message).toMatch(new RegExp(`^${shard}: row group 0: the file has 3 row groups and ${n} rows, the manifest lists ${manifest.shards[0].rowGroups} and ${manifest.rows}`));
  manifest.shards[0].rows = manifest.rows = n;
  manifest.shards[0].rowGroups = 3;
  writeFileSync(manifestFile, JSON.stringify(manifest));
  for (const workers of [0, 2]) {
    const { error: mismatch } = await drain(dir, workers);
    expect(mismatch).toBeInstanceOf(InputError);
    expect((mismatch as Error).message).toMatch(new RegExp(`^${shard}: row group \\d: (no column "item"|column "history": expected list<int64> as the manifest says, the file has Int64)`));
  }
});
