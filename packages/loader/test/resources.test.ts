import { readdirSync, readlinkSync } from 'node:fs';
import { openDataset } from '@recd/loader';
import { chunksOf, sessionLengths, tempRoot, writeDataset } from './helpers';

jest.setTimeout(30_000);

const temp = tempRoot('recd-loader-resources-');
afterAll(() => temp.cleanup());
const threads = (): number => readdirSync('/proc/self/task').length;
/** Descriptors open on files of the dataset (other descriptors come and go with jest, libuv and threads). */
const filesUnder = (dir: string): number =>
  readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith(dir);
    } catch {
      return false; // closed while listing
    }
  }).length;
const settle = () => new Promise((resolve) => setTimeout(resolve, 100));

test('breaking out early, or an error, ends the worker threads and leaves no file open', async () => {
  const dir = temp.dir('d');
  await writeDataset(dir, chunksOf(sessionLengths(200, 6), 500), { shards: 2, rowGroupSize: 40 });
  await settle();
  const threadsBefore = threads();
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
  expect(filesUnder(dir)).toBe(0);

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
  expect(filesUnder(dir)).toBe(0);
});
