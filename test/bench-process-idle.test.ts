/** bench/process-idle.ts: the wait before each timed run of an alternating benchmark. */
import { Worker } from 'node:worker_threads';
import { untilIdle } from '../bench/process-idle';

test('untilIdle returns after one quiet window when nothing runs', async () => {
  const waited = await untilIdle(100, 3000);
  expect(waited).toBeGreaterThanOrEqual(0.09);
  expect(waited).toBeLessThan(1);
});

test('untilIdle waits while a thread of the process keeps a core busy, and gives up at its limit', async () => {
  // a thread spinning for 800 ms: the wait ends after it
  const spinner = new Worker('const end = Date.now() + 800; while (Date.now() < end);', { eval: true });
  const online = new Promise((resolve) => spinner.once('online', resolve));
  await online;
  const waited = await untilIdle(100, 3000);
  expect(waited).toBeGreaterThanOrEqual(0.5);
  expect(waited).toBeLessThan(3);
  await spinner.terminate();
  // a thread spinning past the limit: the wait stops at the limit
  const forever = new Worker('for (;;);', { eval: true });
  await new Promise((resolve) => forever.once('online', resolve));
  const capped = await untilIdle(100, 400);
  expect(capped).toBeGreaterThanOrEqual(0.4);
  expect(capped).toBeLessThan(1.5);
  await forever.terminate();
});
