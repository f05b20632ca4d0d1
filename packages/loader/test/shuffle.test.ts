import { batchStats, datasetFromChunks, openDataset } from '@recd/loader';
import { chunksOf, collect, itemsOf, schema, sessionLengths, tempRoot, usersOf, writeDataset } from './helpers';

const lengths = sessionLengths(200, 10);
const rows = lengths.reduce((a, b) => a + b, 0);
const chunks = chunksOf(lengths, 80);

/** How many separate stretches each user's (session's) samples form in a sequence. */
function stretches(users: number[]): Map<number, number> {
  const count = new Map<number, number>();
  users.forEach((user, i) => {
    if (i === 0 || users[i - 1] !== user) count.set(user, (count.get(user) ?? 0) + 1);
  });
  return count;
}

test('a shuffled epoch is a permutation of the rows; sessions stay whole and in order', async () => {
  const batches = await collect(datasetFromChunks(chunks, schema, { batchSize: 64, shuffle: { seed: 1, window: 32 } }));
  const items = batches.flatMap(itemsOf);
  expect([...items].sort((a, b) => a - b)).toEqual(Array.from({ length: rows }, (_, i) => i));
  expect(items).not.toEqual([...items].sort((a, b) => a - b));
  const users = batches.flatMap(usersOf);
  expect([...stretches(users).values()].every((n) => n === 1)).toBe(true); // chunks never split a session
  for (let i = 1; i < items.length; i++) if (users[i] === users[i - 1]) expect(items[i]).toBe(items[i - 1] + 1);
});

test('deterministic per seed and epoch; a new order every epoch and for another seed', async () => {
  const order = async (seed: number, epochs = 1) => (await collect(datasetFromChunks(chunks, schema, { batchSize: 100, epochs, shuffle: { seed, window: 16 } }))).flatMap(itemsOf);
  const twoEpochs = await order(4, 2);
  expect(await order(4, 2)).toEqual(twoEpochs);
  expect(twoEpochs.slice(0, rows)).not.toEqual(twoEpochs.slice(rows));
  expect(await order(5)).not.toEqual(twoEpochs.slice(0, rows));
  const dataset = datasetFromChunks(chunks, schema, { batchSize: 100, epochs: 2, shuffle: { seed: 4, window: 16 } });
  expect((await collect(dataset.epoch(1))).flatMap(itemsOf)).toEqual(twoEpochs.slice(rows));
});

test('from Parquet: row groups reordered per epoch; a session cut by a row group boundary forms at most one stretch per row group', async () => {
  const temp = tempRoot('recd-loader-shuffle-');
  try {
    await writeDataset(temp.dir('d'), chunks, { shards: 2, rowGroupSize: 45 });
    const dataset = await openDataset(temp.dir('d'), { batchSize: 50, epochs: 2, shuffle: { seed: 9, window: 8 } });
    const batches = await collect(dataset);
    const items = batches.flatMap(itemsOf);
    expect(items).toHaveLength(2 * rows);
    expect([...items.slice(0, rows)].sort((a, b) => a - b)).toEqual(Array.from({ length: rows }, (_, i) => i));
    expect(items.slice(0, rows)).not.toEqual(items.slice(rows));
    const users = batches.flatMap(usersOf).slice(0, rows);
    for (const [, count] of stretches(users)) expect(count).toBeLessThanOrEqual(2); // sessions here are shorter than a row group
    expect(dataset.describe()).toContain('shuffle(sessions, window 8, seed 9; row groups reordered per epoch)');
  } finally {
    temp.cleanup();
  }
});

test('shuffle by sample scatters sessions (what the session shuffle avoids); still a permutation', async () => {
  const bySample = await collect(datasetFromChunks(chunks, schema, { batchSize: 64, shuffle: { seed: 1, window: 64, unit: 'sample' } }));
  const items = bySample.flatMap(itemsOf);
  expect([...items].sort((a, b) => a - b)).toEqual(Array.from({ length: rows }, (_, i) => i));
  const scattered = [...stretches(bySample.flatMap(usersOf)).values()].reduce((a, b) => a + b, 0);
  expect(scattered).toBeGreaterThan(lengths.length * 1.5);
  const dedup = (batches: typeof bySample) => batches.reduce((sum, b) => sum + batchStats(b).uniqueRows![0], 0);
  const bySession = await collect(datasetFromChunks(chunks, schema, { batchSize: 64, shuffle: { seed: 1, window: 64 } }));
  expect(dedup(bySample)).toBeGreaterThan(dedup(bySession));
});
