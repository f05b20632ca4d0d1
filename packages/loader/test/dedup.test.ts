import fc from 'fast-check';
import { InverseKeyedJaggedTensor, KeyedJaggedTensor, dedup, dedupGroupsOf, validateIkjt } from '@recd/core';
import type { SampleChunk } from '@recd/datagen';
import { Batch, DatasetOptions, Transform, datasetFromChunks, openDataset } from '@recd/loader';
import { chunksOf, collect, schema, sessionKjt, sessionLengths, tempRoot, writeDataset } from './helpers';

function expectSameExpanded(withDedup: Batch[], without: Batch[]): void {
  expect(withDedup.map((b) => b.size)).toEqual(without.map((b) => b.size));
  withDedup.forEach((batch, i) => {
    expect(batch.sessionSparse).toBeInstanceOf(InverseKeyedJaggedTensor);
    expect(without[i].sessionSparse).toBeInstanceOf(KeyedJaggedTensor);
    validateIkjt(batch.sessionSparse as InverseKeyedJaggedTensor);
    expect(sessionKjt(batch).equals(without[i].sessionSparse as KeyedJaggedTensor)).toBe(true);
    expect(batch.sparse.equals(without[i].sparse)).toBe(true);
    expect(batch.labels).toEqual(without[i].labels);
    expect(batch.dense).toEqual(without[i].dense);
  });
}

test('dedup on and off give the same expanded batches, in order and shuffled', async () => {
  const chunks = chunksOf(sessionLengths(150, 12), 90);
  for (const options of [{ batchSize: 64 }, { batchSize: 37, shuffle: { seed: 5, window: 16 } }, { batchSize: 500, epochs: 2, shuffle: true }] as DatasetOptions[]) {
    const on = await collect(datasetFromChunks(chunks, schema, { ...options, dedup: true }));
    const off = await collect(datasetFromChunks(chunks, schema, { ...options, dedup: false }));
    expectSameExpanded(on, off);
  }
});

test('from Parquet, with workers or not: dedup on and off agree; the IKJT holds one row per session', async () => {
  const temp = tempRoot('recd-loader-dedup-');
  try {
    const lengths = sessionLengths(100, 8);
    await writeDataset(temp.dir('d'), chunksOf(lengths, 100), { shards: 2, rowGroupSize: 50 });
    const options: DatasetOptions = { batchSize: 128, shuffle: { seed: 2, window: 8 } };
    const on = await collect(await openDataset(temp.dir('d'), { ...options, workers: 2 }));
    const off = await collect(await openDataset(temp.dir('d'), { ...options, dedup: false, workers: 0 }));
    expectSameExpanded(on, off);
    const onInProcess = await collect(await openDataset(temp.dir('d'), { ...options, workers: 0 }));
    expectSameExpanded(onInProcess, off);
    // raw int64 ids made on a worker thread
    const rawOn = await collect(await openDataset(temp.dir('d'), { ...options, reduceIds: false, workers: 1 }));
    expectSameExpanded(rawOn, await collect(await openDataset(temp.dir('d'), { ...options, reduceIds: false, dedup: false })));
    for (const batch of on) {
      const ikjt = batch.sessionSparse as InverseKeyedJaggedTensor;
      const users = new Set(sessionKjt(batch).get('user').values as Int32Array);
      expect(ikjt.groups[0].unique.stride).toBe(users.size); // users are distinct per session, histories may repeat
    }
  } finally {
    temp.cleanup();
  }
});

/** A chunk from explicit sessions: per session its length, user and history (int64 ids). */
function chunkOf(sessions: { length: number; user: bigint; history: bigint[] }[], firstRow: number): SampleChunk {
  const rows = sessions.reduce((a, s) => a + s.length, 0);
  const user: bigint[] = [];
  const history: bigint[] = [];
  const historyOffsets = [0];
  for (const session of sessions) {
    for (let i = 0; i < session.length; i++) {
      user.push(session.user);
      history.push(...session.history);
      historyOffsets.push(history.length);
    }
  }
  return {
    length: rows,
    columns: [
      { name: 'label', type: 'float32', values: new Float32Array(rows) },
      { name: 'item', type: 'int64', values: BigInt64Array.from({ length: rows }, (_, i) => BigInt(firstRow + i)) },
      { name: 'price', type: 'float32', values: new Float32Array(rows) },
      { name: 'age', type: 'float32', values: new Float32Array(rows) },
      { name: 'prefix', type: 'list<int64>', offsets: new Int32Array(rows + 1), values: new BigInt64Array(0) },
      { name: 'user', type: 'int64', values: BigInt64Array.from(user) },
      { name: 'history', type: 'list<int64>', offsets: Int32Array.from(historyOffsets), values: BigInt64Array.from(history) },
    ],
  };
}

const idArb = fc.oneof(fc.bigInt({ min: -5n, max: 5n }), fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }));
const sessionArb = fc.record({
  length: fc.integer({ min: 1, max: 6 }),
  user: fc.bigInt({ min: 0n, max: 3n }), // few users: equal rows in different sessions
  history: fc.array(fc.oneof(idArb, fc.constant(1n)), { maxLength: 5 }),
});
const idTransformArb: fc.Arbitrary<Transform> = fc.oneof(
  fc.record({ kind: fc.constant('modulo' as const), tableSize: fc.integer({ min: 1, max: 7 }) }),
  fc.record({ kind: fc.constant('modulo' as const), tableSize: fc.constantFrom(4, 1 << 20, 2147483647) }),
  fc.record({ kind: fc.constant('hash' as const), tableSize: fc.integer({ min: 1, max: 9 }), seed: fc.nat() }),
  fc.record({ kind: fc.constant('truncate' as const), maxLength: fc.integer({ min: 1, max: 4 }), keep: fc.constantFrom('first' as const, 'last' as const) }),
  fc.record({ kind: fc.constant('pad' as const), length: fc.integer({ min: 1, max: 4 }), value: fc.integer({ min: -3, max: 3 }) }),
);

test('property: transforming unique rows then deduplicating equals transforming every row, then dedup (exactly)', async () => {
  const groups = dedupGroupsOf(schema);
  await fc.assert(
    fc.asyncProperty(
      fc.array(fc.array(sessionArb, { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: 4 }),
      fc.array(idTransformArb, { maxLength: 3 }),
      fc.array(idTransformArb, { maxLength: 3 }),
      fc.integer({ min: 1, max: 20 }),
      fc.option(fc.record({ seed: fc.nat(), window: fc.integer({ min: 1, max: 6 }) }), { nil: undefined }),
      async (chunkSessions, userChain, historyChain, batchSize, shuffle) => {
        let row = 0;
        const chunks = chunkSessions.map((sessions) => {
          const chunk = chunkOf(sessions, row);
          row += chunk.length;
          return chunk;
        });
        // the session group must end in Int32 rows when the others do: finish each chain with a modulo
        const transforms = {
          user: [...userChain, { kind: 'modulo' as const, tableSize: 1 << 20 }],
          history: [...historyChain, { kind: 'modulo' as const, tableSize: 1000 }],
        };
        const options: DatasetOptions = { batchSize, shuffle, transforms };
        const transformedOnUnique = await collect(datasetFromChunks(chunks, schema, options));
        const transformedEveryRow = await collect(datasetFromChunks(chunks, schema, { ...options, dedup: false }));
        expect(transformedOnUnique.length).toBe(transformedEveryRow.length);
        transformedOnUnique.forEach((batch, i) => {
          const expected = dedup(transformedEveryRow[i].sessionSparse as KeyedJaggedTensor, groups);
          const got = batch.sessionSparse as InverseKeyedJaggedTensor;
          expect(got.groups.length).toBe(1);
          expect(got.groups[0].unique.equals(expected.groups[0].unique)).toBe(true);
          expect(Array.from(got.groups[0].inverse)).toEqual(Array.from(expected.groups[0].inverse));
        });
      },
    ),
    { numRuns: 150 },
  );
});

test('rows that differ only inside their histories (equal fingerprints, the fallback to the full hash) deduplicate exactly', async () => {
  const groups = dedupGroupsOf(schema);
  // 300 sessions of one user, histories equal in length, ends and middle: fingerprints of different rows all match
  const sessions = Array.from({ length: 300 }, (_, i) => ({ length: 1 + (i % 3), user: 7n, history: [1n, 2n, BigInt(i % 150), 3n, BigInt(1000 + (i % 150)), 4n, 5n] }));
  const chunks = [chunkOf(sessions.slice(0, 170), 0), chunkOf(sessions.slice(170), 340)];
  for (const batchSize of [64, 512]) {
    const withDedup = await collect(datasetFromChunks(chunks, schema, { batchSize }));
    const without = await collect(datasetFromChunks(chunks, schema, { batchSize, dedup: false }));
    expect(withDedup.length).toBe(without.length);
    withDedup.forEach((batch, i) => {
      const expected = dedup(without[i].sessionSparse as KeyedJaggedTensor, groups);
      const got = (batch.sessionSparse as InverseKeyedJaggedTensor).groups[0];
      expect(got.unique.equals(expected.groups[0].unique)).toBe(true);
      expect(Array.from(got.inverse)).toEqual(Array.from(expected.groups[0].inverse));
    });
    // sessions i and i + 150 are equal rows: with 512 samples a batch holds both
    if (batchSize === 512) expect((withDedup[0].sessionSparse as InverseKeyedJaggedTensor).groups[0].unique.stride).toBeLessThan(300);
  }
});

test('several dedup groups, and raw int64 ids (reduceIds: false): dedup on and off still agree', async () => {
  const twoGroups = {
    features: schema.features.map((feature) => (feature.name === 'prefix' ? { ...feature, dedupGroup: 'context' } : feature)),
  };
  const chunks = chunksOf(sessionLengths(60, 7), 50);
  for (const options of [{ batchSize: 45, shuffle: { seed: 3, window: 10 } }, { batchSize: 64, reduceIds: false }, { batchSize: 30, reduceIds: false, shuffle: true }] as DatasetOptions[]) {
    const on = await collect(datasetFromChunks(chunks, twoGroups, options));
    const off = await collect(datasetFromChunks(chunks, twoGroups, { ...options, dedup: false }));
    expectSameExpanded(on, off);
    const layout = datasetFromChunks(chunks, twoGroups, options).layout;
    expect(layout.groups).toEqual([{ name: 'context', keys: ['prefix'] }, { name: 'session', keys: ['user', 'history'] }]);
    expect((on[0].sessionSparse as InverseKeyedJaggedTensor).groups).toHaveLength(2);
    if (options.reduceIds === false) expect(on[0].sparse.idType).toBe('int64');
  }
});
