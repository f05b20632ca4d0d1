import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { datasetFromChunks } from '@recd/loader';
import { chunksOf, schema, sessionLengths } from './helpers';

test('describe() names every stage', () => {
  const dataset = datasetFromChunks(chunksOf(sessionLengths(10, 3), 100), schema, {
    batchSize: 8,
    shuffle: { seed: 1, window: 4 },
    limit: 20,
    dropLast: true,
    transforms: { price: [{ kind: 'log1p' }] },
  });
  expect(dataset.describe()).toMatch(
    /^memory\(1 chunks, \d+ rows\) -> prefetch\(depth 5, concurrency 2, (p-queue|builtin)\) -> transforms\(main thread\) -> transform\(item: modulo\(1073741824\); prefix: truncate\(4, last\) -> modulo\(1000\); user: modulo\(1048576\); history: truncate\(6, last\) -> modulo\(997\); price: log1p; session features once per session run\) -> shuffle\(sessions, window 4, seed 1; row groups reordered per epoch\) -> limit\(20 samples\) -> batch\(8, dropLast\) -> dedup\(session: user, history\) -> epochs\(1\)$/,
  );
});

// Jest's module sandbox cannot load ESM-only p-queue (the loader falls back to an equivalent
// limiter there); plain Node >= 20.19 loads it through require(esm). Check that path for real.
test('in plain Node the prefetcher runs on p-queue', () => {
  const loader = join(__dirname, '..', 'dist', 'index.js');
  const script = `
    const { datasetFromChunks } = require(${JSON.stringify(loader)});
    const chunk = { length: 3, columns: [
      { name: 'label', type: 'float32', values: new Float32Array(3) },
      { name: 'id', type: 'int64', values: new BigInt64Array([1n, 2n, 3n]) } ] };
    const schema = { features: [{ name: 'label', kind: 'label' }, { name: 'id', kind: 'sparse', tableSize: 10 }] };
    const dataset = datasetFromChunks([chunk, chunk], schema, { batchSize: 4 });
    (async () => { let n = 0; for await (const b of dataset) n += b.size; console.log(n, dataset.describe()); })();`;
  const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  expect(out).toMatch(/^6 .*prefetch\(depth 5, concurrency 2, p-queue\)/);
});
