import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { DuckDBInstance } from '@duckdb/node-api';
import type { FeatureSchema } from '@recd/core';
import { DatasetWriter, SampleChunk, inspectDataset } from '../src/dataset';
import { DistinctRowSet, hashWords } from '../src/dataset/distinct-rows';
import { DuplicationCounter } from '../src/dataset/duplication-counter';

jest.setTimeout(30_000);

const root = mkdtempSync(join(tmpdir(), 'recd-dataset-inspect-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const schema: FeatureSchema = {
  features: [
    { name: 'label', kind: 'label' },
    { name: 'user_id', kind: 'sparse', tableSize: 10, dedupGroup: 'session' },
    { name: 'history', kind: 'sequence', tableSize: 20, maxLength: 4, dedupGroup: 'session' },
    { name: 'item_id', kind: 'sparse', tableSize: 30 },
  ],
};

/** One row per sample: [session, user, history]; items and labels vary per sample. */
type Sample = [string, number, number[]];

function chunkOf(samples: Sample[]): SampleChunk {
  const offsets = new Int32Array(samples.length + 1);
  samples.forEach(([, , history], i) => (offsets[i + 1] = offsets[i] + history.length));
  return {
    length: samples.length,
    columns: [
      { name: 'label', type: 'float32', values: Float32Array.from(samples, (_, i) => i % 2) },
      { name: 'session_id', type: 'int64', values: BigInt64Array.from(samples, ([session]) => BigInt(session.charCodeAt(0))) },
      { name: 'user_id', type: 'int64', values: BigInt64Array.from(samples, ([, user]) => BigInt(user)) },
      { name: 'history', type: 'list<int64>', offsets, values: BigInt64Array.from(samples.flatMap(([, , history]) => history.map(BigInt))) },
      { name: 'item_id', type: 'int64', values: BigInt64Array.from(samples, (_, i) => BigInt(i)) },
    ],
  };
}

// Sessions A..E. User 1 has two sessions (A, C) with different histories; sessions B and E have
// the same user and the same (empty) history, so the group (user, history) repeats across them.
const A: Sample = ['A', 1, [10, 11]];
const B: Sample = ['B', 2, []];
const C: Sample = ['C', 1, [12]];
const D: Sample = ['D', 3, [10, 11]];
const E: Sample = ['E', 2, []];
const shard0 = [A, A, A, B, B, C, C, C];
const shard1 = [D, D, E, E];

test('inspect: sizes from the footers, duplication known exactly on a hand-built dataset', async () => {
  const dir = join(root, 'hand-built');
  const writer = await DatasetWriter.create(dir, { shards: 2, rowGroupSize: 5 });
  await writer.write(0, chunkOf(shard0.slice(0, 3)));
  await writer.write(1, chunkOf(shard1));
  await writer.write(0, chunkOf(shard0.slice(3)));
  const manifest = await writer.finish({ order: 'session', schema });
  const inspection = await inspectDataset(dir, { batchSizes: [3, 8] });

  expect(inspection).toMatchObject({ rows: 12, sessions: 5, shards: 2, rowGroups: 3, codec: 'zstd', order: 'session', rowGroupSize: 5 });
  expect(inspection.bytes).toBe(manifest.shards[0].bytes + manifest.shards[1].bytes);
  expect(inspection.bytesPerSample).toBeCloseTo(inspection.bytes / 12);

  // batches of 3, restarting per shard: [A A A] [B B C] [C C] | [D D E] [E]
  // batches of 8: [A A A B B C C C] | [D D E E]
  const batches = (unique3: number, unique8: number) => [
    { batchSize: 3, batches: 5, meanUniqueRows: unique3 / 5, samplesPerUniqueRow: 12 / unique3 },
    { batchSize: 8, batches: 2, meanUniqueRows: unique8 / 2, samplesPerUniqueRow: 12 / unique8 },
  ];
  expect(inspection.duplication).toEqual({
    batchSizes: [3, 8],
    features: [
      // users {1, 2, 3}; per batch of 3: 1+2+1+2+1; of 8: {1,2} + {3,2}
      { name: 'user_id', keys: ['user_id'], distinct: 3, samplesPerDistinct: 4, batches: batches(7, 4) },
      // histories {[10,11], [], [12]}; of 8: 3 + 2
      { name: 'history', keys: ['history'], distinct: 3, samplesPerDistinct: 4, batches: batches(7, 5) },
    ],
    // (user, history): A, B (= E), C, D
    groups: [{ name: 'session', keys: ['user_id', 'history'], distinct: 4, samplesPerDistinct: 3, batches: batches(7, 5) }],
  });

  // column bytes agree with DuckDB's reading of the same column-chunk metadata
  const connection = await (await DuckDBInstance.create()).connect();
  const reader = await connection.runAndReadAll(
    `SELECT split_part(path_in_schema, ',', 1) AS name, sum(total_compressed_size) AS bytes FROM parquet_metadata('${join(dir, '*.parquet')}') GROUP BY 1`,
  );
  const duckBytes = Object.fromEntries(reader.getRowObjectsJS().map((row) => [row.name, Number(row.bytes)]));
  connection.closeSync();
  expect(Object.fromEntries(inspection.columns.map((column) => [column.name, column.compressedBytes]))).toEqual(duckBytes);
  expect(inspection.columns.map((column) => column.name)).toEqual(['label', 'session_id', 'user_id', 'history', 'item_id']);
});

test('DuplicationCounter equals a naive count of distinct values, whatever the chunking and batch size', () => {
  const sample = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 2 }));
  fc.assert(
    fc.property(fc.array(fc.array(sample, { maxLength: 12 }), { maxLength: 4 }), fc.integer({ min: 1, max: 7 }), (chunks, batchSize) => {
      const counter = new DuplicationCounter(new Map([['g', ['user_id', 'history']]]), [batchSize]);
      for (const rows of chunks) {
        const chunk = chunkOf(rows.map(([user, history]): Sample => ['S', user, history]));
        counter.add(new Map(chunk.columns.map((column) => [column.name, column])), chunk.length);
      }
      const all = chunks.flat();
      const naive = (key: (sample: [number, number[]]) => string) => {
        let unique = 0;
        for (let start = 0; start < all.length; start += batchSize) unique += new Set(all.slice(start, start + batchSize).map(key)).size;
        return { distinct: new Set(all.map(key)).size, unique };
      };
      const { features, groups } = counter.result();
      const keys = [([user]: [number, number[]]) => `${user}`, ([, history]: [number, number[]]) => history.join(','), ([user, history]: [number, number[]]) => `${user}|${history.join(',')}`];
      [...features, ...groups].forEach((stats, k) => {
        const expected = naive(keys[k]);
        expect(stats.distinct).toBe(expected.distinct);
        expect(stats.batches[0].batches).toBe(Math.ceil(all.length / batchSize));
        expect(stats.batches[0].meanUniqueRows * stats.batches[0].batches).toBeCloseTo(expected.unique);
      });
    }),
    { numRuns: 200 },
  );
});

test('DistinctRowSet numbers rows exactly in first-seen order, even when every hash collides', () => {
  fc.assert(
    fc.property(fc.array(fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 5 }), { maxLength: 300 }), fc.boolean(), (rows, collide) => {
      const set = new DistinctRowSet();
      const naive = new Map<string, number>();
      for (const row of [...rows, ...rows]) {
        const words = Int32Array.from(row);
        const index = set.add(words, words.length, collide ? 7 : hashWords(words, words.length));
        if (!naive.has(row.join(','))) naive.set(row.join(','), naive.size);
        expect(index).toBe(naive.get(row.join(',')));
      }
      expect(set.size).toBe(naive.size);
    }),
    { numRuns: 100 },
  );
});
