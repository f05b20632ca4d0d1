/**
 * BufferPool hands out zeroed arrays, takes back only what prepare dropped, and never hands out a
 * buffer a prepared chunk still holds; reading a dataset through it gives the batches of fresh arrays.
 */
import { createHash } from 'node:crypto';
import { datasetFromChunks, openDataset } from '@recd/loader';
import { BufferPool } from '../src/buffer-pool';
import type { DecodedChunk } from '../src/dictionary-ids';
import type { PreparedChunk } from '../src/prepared-chunk';
import { chunksOf, collect, schema, sessionKjt, sessionLengths, tempRoot, writeDataset } from './helpers';

const root = tempRoot('recd-buffer-pool-');
afterAll(root.cleanup);

test('released buffers come back zeroed; held ones never come back', () => {
  const pool = new BufferPool();
  const held = pool.alloc(1000);
  const dropped = pool.alloc(1000);
  held.fill(7);
  dropped.fill(9);
  const decoded: DecodedChunk = {
    length: 1000,
    columns: [
      { name: 'a', type: 'int64', values: new BigInt64Array(held.buffer, 0, 500) },
      { name: 'b', type: 'float32', values: new Float32Array(dropped.buffer, 0, 1000) },
    ],
  };
  const prepared: PreparedChunk = { rows: 1000, labels: new Float32Array(0), dense: [], sparse: [{ offsets: undefined, values: new BigInt64Array(held.buffer, 0, 500) }], session: [], groups: [], runStarts: undefined };
  pool.release(decoded, prepared);
  const again = [pool.alloc(900), pool.alloc(1000)];
  expect(again.some((array) => array.buffer === dropped.buffer)).toBe(true);
  expect(again.every((array) => array.buffer !== held.buffer)).toBe(true);
  expect(again.every((array) => array.every((word) => word === 0))).toBe(true);
  expect(again.map((array) => array.length)).toEqual([900, 1000]);
  // arrays the pool did not make are not taken
  const foreign = new Int32Array(1000);
  pool.release({ length: 1, columns: [{ name: 'c', type: 'float32', values: new Float32Array(foreign.buffer) }] }, prepared);
  expect([pool.alloc(1000), pool.alloc(1000)].every((array) => array.buffer !== foreign.buffer)).toBe(true);
});

test('from Parquet through the pool: the same batches as from the decoded samples, over several epochs', async () => {
  const dir = root.dir('data');
  const chunks = chunksOf(sessionLengths(300, 6), 97);
  await writeDataset(dir, chunks, { shards: 1, rowGroupSize: 64 });
  for (const dedup of [true, false]) {
    const expected = await collect(datasetFromChunks(chunks, schema, { batchSize: 50, dedup, prefetch: { depth: 1, concurrency: 1 } }));
    const fromParquet = await collect(await openDataset(dir, { batchSize: 50, dedup, epochs: 3, shuffle: undefined, prefetch: { depth: 3, concurrency: 2 } }));
    expect(fromParquet.length).toBe(3 * expected.length);
    const digest = (batches: typeof expected) => createHash('sha256').update(JSON.stringify(batches.map((b) => [Array.from(b.labels), Array.from(b.dense), Array.from(b.sparse.values as Int32Array), Array.from(b.sparse.lengths), Array.from(sessionKjt(b).values as Int32Array), Array.from(sessionKjt(b).lengths)]))).digest('hex');
    expect(digest(fromParquet)).toBe(digest([...expected, ...expected, ...expected]));
  }
});
