import { readdirSync } from 'node:fs';
import { openDataset } from '@recd/loader';
import { chunksOf, sessionLengths, tempRoot, writeDataset } from './helpers';

jest.setTimeout(30_000);

const temp = tempRoot('recd-loader-resources-');
afterAll(() => temp.cleanup());
const threads = (): number => readdirSync('/proc/self/task').length;
const files = (): number => readdirSync('/proc/self/fd').length;
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

test('breaking out early, or an error, ends the worker threads and leaves no file open', async () => {
  const dir = temp.dir('d');
  await writeDataset(dir, chunksOf(sessionLengths(200, 6), 500), { shards: 2, rowGroupSize: 40 });
  await settle();
  const threadsBefore = threads();
  const filesBefore = files();
  const dataset = await openDataset(dir, { batchSize: 16, workers: 3, epochs: 3 });
  let during = 0;
  for await (const batch of dataset) {
    expect(batch.size).toBe(16);
    during = threads();
    break;
  }
  expect(during).toBeGreaterThanOrEqual(threadsBefore + 3);
  await settle();
  expect(threads()).toBeLessThanOrEqual(threadsBefore);
  expect(files()).toBeLessThanOrEqual(filesBefore);

  const iterator = dataset[Symbol.asyncIterator]();
  await iterator.next();
  await iterator.return!();
  await settle();
  expect(threads()).toBeLessThanOrEqual(threadsBefore);

  let thrown: unknown;
  try {
    for await (const batch of dataset) if (batch.size > 0) throw new Error('stop');
  } catch (error) {
    thrown = error;
  }
  expect((thrown as Error).message).toBe('stop');
  await settle();
  expect(threads()).toBeLessThanOrEqual(threadsBefore);
  expect(files()).toBeLessThanOrEqual(filesBefore);
});
