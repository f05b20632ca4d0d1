/**
 * ShardReaders keeps one reader (one footer read) per shard of an iteration: the same reader for
 * every row group of a shard, the least recently used dropped beyond its capacity, and an open
 * that failed (a missing file) tried again, not remembered; a shard changed during an iteration
 * still fails to read (its Blob is kept, not re-opened).
 */
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatasetManifest, shardPaths } from '@recd/datagen';
import { openDataset } from '@recd/loader';
import { ShardReaders } from '../src/parquet/shard-readers';
import { chunksOf, sessionLengths, tempRoot, writeDataset } from './helpers';

const root = tempRoot('recd-shard-readers-');
afterAll(root.cleanup);

test('one reader per shard, least recently used dropped, failed opens retried', async () => {
  const dir = root.dir('data');
  await writeDataset(dir, chunksOf(sessionLengths(60, 4), 50), { shards: 3, rowGroupSize: 32 });
  const manifest = await openDatasetManifest(dir);
  const paths = shardPaths(dir, manifest);
  const shape = (s: number) => ({ rowGroups: manifest.shards[s].rowGroups, rows: manifest.shards[s].rows });
  const readers = new ShardReaders(2);
  const first = readers.open(paths[0], manifest.columns, shape(0));
  expect(readers.open(paths[0], manifest.columns, shape(0))).toBe(first);
  const reader = await first;
  const rows = await Promise.all(Array.from({ length: reader.footer.rowGroups.length }, (_, g) => reader.readRowGroup(g).then((chunk) => chunk.length)));
  expect(rows.reduce((a, b) => a + b, 0)).toBe(manifest.shards[0].rows);

  readers.open(paths[1], manifest.columns, shape(1));
  readers.open(paths[2], manifest.columns, shape(2)); // capacity 2: shard 0 is dropped
  expect(readers.open(paths[0], manifest.columns, shape(0))).not.toBe(first);

  const missing = join(dir, 'gone.parquet');
  await expect(readers.open(missing, manifest.columns, shape(0))).rejects.toThrow();
  copyFileSync(paths[0], missing);
  await expect(readers.open(missing, manifest.columns, shape(0))).resolves.toBeDefined();
  rmSync(missing);
});

test('a shard rewritten during an iteration (its footer read once) fails to read, naming the file and row group', async () => {
  const dir = root.dir('changed');
  await writeDataset(dir, chunksOf(sessionLengths(400, 6), 97), { shards: 1, rowGroupSize: 64 });
  const path = shardPaths(dir, await openDatasetManifest(dir))[0];
  const batches = (await openDataset(dir, { batchSize: 32, prefetch: { depth: 1, concurrency: 1 } }))[Symbol.asyncIterator]();
  expect((await batches.next()).done).toBe(false);
  writeFileSync(path, Buffer.concat([readFileSync(path), Buffer.alloc(10)]));
  const drain = async (): Promise<void> => {
    while (!(await batches.next()).done);
  };
  await expect(drain()).rejects.toThrow(/part-00000\.parquet: row group \d+/);
});
