import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureSchema } from '@recd/core';
import { DatasetWriter, SampleChunk, openDatasetManifest, readParquetLayout, readShardChunks, shardPaths } from '../src/dataset';
import { TRIAL_CANDIDATES, chooseEncodingsByTrial, encodedBytes } from '../src/dataset/encoding-trial';
import { resolveWriterOptions } from '../src/dataset/dataset-writer-options';
import { prepareZstd } from '../src/encode/zstd-pages';

jest.setTimeout(60_000);

const root = mkdtempSync(join(tmpdir(), 'recd-encoding-trial-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let serial = 0;
const freshDir = (): string => join(root, `d${serial++}`);
const labelOnly: FeatureSchema = { features: [{ name: 'label', kind: 'label' }] };

/** A deterministic pseudo-random stream (xorshift32), so the columns look like data and not like patterns. */
function randoms(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** ts: sorted times with small random steps; kind: 3 distinct ids; noise: random 62-bit ids; level: a random walk of floats; items: lists. */
function chunkOf(length: number, seed = 1): SampleChunk {
  const random = randoms(seed);
  let time = 1_767_225_600n;
  let level = 0;
  const offsets = Int32Array.from({ length: length + 1 }, (_, i) => 2 * i);
  return {
    length,
    columns: [
      { name: 'label', type: 'float32', values: Float32Array.from({ length }, () => (random() < 0.2 ? 1 : 0)) },
      { name: 'ts', type: 'int64', values: BigInt64Array.from({ length }, () => (time += BigInt(Math.floor(random() * 40)))) },
      { name: 'kind', type: 'int64', values: BigInt64Array.from({ length }, () => [7n, 1_000_003n, -5n][Math.floor(random() * 3)]) },
      { name: 'noise', type: 'int64', values: BigInt64Array.from({ length }, () => BigInt(Math.floor(random() * 2 ** 31)) * BigInt(Math.floor(random() * 2 ** 31))) },
      { name: 'level', type: 'float32', values: Float32Array.from({ length }, () => (level += random() - 0.5)) },
      { name: 'items', type: 'list<int64>', offsets, values: BigInt64Array.from({ length: 2 * length }, (_, i) => BigInt(i % 17)) },
    ],
  };
}

beforeAll(() => prepareZstd());

test('the trial keeps the smallest candidate, the earlier one on a tie, and measures every candidate', () => {
  const settings = resolveWriterOptions({ shards: 1, rowGroupSize: 4096 });
  const chunk = chunkOf(3000);
  const trials = chooseEncodingsByTrial(chunk, ['label', 'ts', 'kind', 'noise', 'level'], settings);
  for (const trial of trials) {
    const type = chunk.columns.find((c) => c.name === trial.name)!.type as 'int64' | 'float32';
    expect(Object.keys(trial.bytes)).toEqual(TRIAL_CANDIDATES[type]);
    const sizes = TRIAL_CANDIDATES[type].map((encoding) => trial.bytes[encoding]!);
    expect(trial.bytes[trial.chosen]).toBe(Math.min(...sizes));
    expect(TRIAL_CANDIDATES[type].indexOf(trial.chosen)).toBe(sizes.indexOf(Math.min(...sizes)));
  }
  const chosen = Object.fromEntries(trials.map(({ name, chosen }) => [name, chosen]));
  expect(chosen.ts).toBe('delta'); // small steps: DELTA_BINARY_PACKED stores a few bits per value
  expect(chosen.kind).toBe('dictionary'); // three 8-byte values: 2-bit indices
  expect(trials.find((t) => t.name === 'noise')!.bytes.dictionary).toBeGreaterThan(trials.find((t) => t.name === 'noise')!.bytes.plain!);
});

test('the trial measures what the writer stores: a one-column dataset written with the chosen encoding has the trial size', async () => {
  const chunk = chunkOf(2000);
  const settings = resolveWriterOptions({ shards: 1, rowGroupSize: 4096 });
  for (const encoding of ['delta', 'byte-stream-split'] as const) {
    const dir = freshDir();
    const ts = { length: chunk.length, columns: [chunk.columns[0], chunk.columns[1]] };
    const writer = await DatasetWriter.create(dir, { shards: 1, rowGroupSize: 4096, columnEncodings: { ts: encoding } });
    await writer.write(0, ts);
    await writer.finish({ order: 'session', schema: labelOnly, sessionsPerShard: [0] });
    const [file] = shardPaths(dir, await openDatasetManifest(dir));
    const column = (await readParquetLayout(file)).columns[1];
    expect(column.compressedBytes).toBe(encodedBytes(chunk.columns[1], chunk.length, encoding, settings));
  }
});

async function writeTrialDataset(dir: string, writes: { shard: number; chunk: SampleChunk }[], shards: number, encoderThreads: number) {
  const writer = await DatasetWriter.create(dir, {
    shards,
    rowGroupSize: 1000,
    encoderThreads,
    columnEncodings: { label: 'trial', ts: 'trial', kind: 'trial', noise: 'trial', level: 'plain' },
  });
  for (const { shard, chunk } of writes) await writer.write(shard, chunk);
  return writer.finish({ order: 'session', schema: labelOnly, sessionsPerShard: Array(shards).fill(0) });
}

test('each shard chooses on its own first rows; the manifest records what its file holds; empty shards keep the defaults', async () => {
  const dir = freshDir();
  const sorted = chunkOf(1500, 3);
  const other = chunkOf(1500, 4);
  const ts = other.columns[1].values as BigInt64Array;
  ts.set(other.columns[2].values as BigInt64Array); // three distinct values: a dictionary
  const manifest = await writeTrialDataset(dir, [{ shard: 0, chunk: sorted }, { shard: 1, chunk: other }, { shard: 0, chunk: other }], 3, 1);
  const [first, second, empty] = manifest.shards.map((shard) => shard.columnEncodings!);
  expect(first.ts).toBe('delta');
  expect(second.ts).toBe('dictionary');
  expect(first.level).toBe('plain');
  expect(empty).toEqual({ label: 'plain', ts: 'dictionary', kind: 'dictionary', noise: 'dictionary', level: 'plain' });
  const parquetName: Record<string, string> = { plain: 'PLAIN', dictionary: 'RLE_DICTIONARY', delta: 'DELTA_BINARY_PACKED', 'byte-stream-split': 'BYTE_STREAM_SPLIT' };
  const files = shardPaths(dir, manifest);
  for (const [s, shard] of manifest.shards.entries()) {
    if (shard.rows === 0) continue;
    for (const column of (await readParquetLayout(files[s])).columns) {
      if (column.name !== 'items') expect(column.encodings).toContain(parquetName[shard.columnEncodings![column.name]]);
    }
  }
  expect(await openDatasetManifest(dir)).toEqual(manifest);
  const back: bigint[] = [];
  for await (const chunk of readShardChunks(files[0], { columns: ['ts'] })) back.push(...(chunk.columns[0].values as BigInt64Array));
  expect(back).toEqual([...(sorted.columns[1].values as BigInt64Array), ...ts]);
});

test('the chosen encodings and the bytes do not depend on the number of encoder threads', async () => {
  const writes = [0, 1, 0, 1].map((shard, i) => ({ shard, chunk: chunkOf(900 + 300 * i, 10 + i) }));
  const files = async (threads: number) => {
    const dir = freshDir();
    const manifest = await writeTrialDataset(dir, writes, 2, threads);
    return { encodings: manifest.shards.map((shard) => shard.columnEncodings), bytes: shardPaths(dir, manifest).map((file) => readFileSync(file)) };
  };
  const one = await files(1);
  const three = await files(3);
  expect(three.encodings).toEqual(one.encodings);
  three.bytes.forEach((file, shard) => expect(file.equals(one.bytes[shard])).toBe(true));
});

test('trial on a list column or a missing column is refused, and so is an unknown choice', async () => {
  const chunk = chunkOf(10);
  const attempt = async (columnEncodings: Record<string, string>) => {
    const writer = await DatasetWriter.create(freshDir(), { shards: 1, columnEncodings: columnEncodings as never });
    try {
      await writer.write(0, chunk);
    } finally {
      await writer.abort();
    }
  };
  await expect(attempt({ items: 'trial' })).rejects.toThrow(/columnEncodings.items: trial does not apply to list<int64> columns/);
  await expect(attempt({ missing: 'trial' })).rejects.toThrow(/no column "missing"/);
  await expect(attempt({ ts: 'trials' })).rejects.toThrow(/expected columnEncodings.ts to be dictionary, plain, delta, byte-stream-split or trial/);
});
