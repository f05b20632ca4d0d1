import { datasetFromChunks, openDataset } from '@recd/loader';
import { chunksOf, collect, itemsOf, schema, sessionLengths, tempRoot, writeDataset } from './helpers';

const lengths = sessionLengths(120, 9); // about 600 samples
const rows = lengths.reduce((a, b) => a + b, 0);
const chunks = chunksOf(lengths, 70);

test('batches of batchSize, the last one short; dropLast drops it', async () => {
  const batches = await collect(datasetFromChunks(chunks, schema, { batchSize: 64 }));
  expect(batches.map((b) => b.size)).toEqual([...Array(Math.floor(rows / 64)).fill(64), ...(rows % 64 ? [rows % 64] : [])]);
  expect(batches.flatMap(itemsOf)).toEqual(Array.from({ length: rows }, (_, i) => i));
  const dropped = await collect(datasetFromChunks(chunks, schema, { batchSize: 64, dropLast: true }));
  expect(dropped.map((b) => b.size)).toEqual(Array(Math.floor(rows / 64)).fill(64));
});

test('every batch has the layout: labels, row-major dense, sparse and session keys', async () => {
  const dataset = datasetFromChunks(chunks, schema, { batchSize: 50 });
  expect(dataset.layout).toMatchObject({ sparseKeys: ['item', 'prefix'], sessionKeys: ['user', 'history'], dense: ['price', 'age'], idType: 'int32', dedup: true });
  const [batch] = await collect(dataset);
  expect(batch.labels).toHaveLength(50);
  expect(batch.dense).toHaveLength(100);
  expect(batch.dense[2 * 7]).toBeCloseTo(7 * 0.5 - 3); // sample 7's price
  expect(batch.dense[2 * 7 + 1]).toBe((7 % 7) - 1); // sample 7's age
  expect(batch.sparse.keys).toEqual(['item', 'prefix']);
  expect(batch.sessionSparse.keys).toEqual(['user', 'history']);
});

test('limit counts samples per epoch; epochs repeat the pass; an iteration can run again', async () => {
  const limited = await collect(datasetFromChunks(chunks, schema, { batchSize: 64, limit: 150 }));
  expect(limited.map((b) => b.size)).toEqual([64, 64, 22]);
  const twice = datasetFromChunks(chunks, schema, { batchSize: 100, epochs: 2, limit: 250, dropLast: true });
  const first = await collect(twice);
  expect(first.map((b) => b.size)).toEqual([100, 100, 100, 100]);
  expect(first.flatMap(itemsOf)).toEqual([...Array(200).keys(), ...Array(200).keys()]);
  const again = await collect(twice);
  expect(again.flatMap(itemsOf)).toEqual(first.flatMap(itemsOf));
  expect(await collect(datasetFromChunks(chunks, schema, { epochs: 0 }))).toEqual([]);
  expect(await collect(datasetFromChunks(chunks, schema, { limit: 0 }))).toEqual([]);
});

test('from Parquet: the same batches as from memory, across shards and row groups', async () => {
  const temp = tempRoot('recd-loader-batching-');
  try {
    await writeDataset(temp.dir('d'), chunks, { shards: 1, rowGroupSize: 64 });
    const dataset = await openDataset(temp.dir('d'), { batchSize: 100 });
    const fromFile = await collect(dataset);
    const fromMemory = await collect(datasetFromChunks(chunks, schema, { batchSize: 100 }));
    expect(fromFile.map((b) => b.size)).toEqual(fromMemory.map((b) => b.size));
    fromFile.forEach((batch, i) => {
      expect(batch.labels).toEqual(fromMemory[i].labels);
      expect(batch.dense).toEqual(fromMemory[i].dense);
      expect(batch.sparse.equals(fromMemory[i].sparse)).toBe(true);
    });
  } finally {
    temp.cleanup();
  }
});
