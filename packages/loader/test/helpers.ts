import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FeatureSchema, InverseKeyedJaggedTensor, KeyedJaggedTensor, Rng } from '@recd/core';
import { DatasetWriter, SampleChunk } from '@recd/datagen';
import type { Batch } from '@recd/loader';

/**
 * Test samples: `item` is the sample's global index (so a sample can be found again after a
 * shuffle: modulo(2^30) keeps it), `user` is 1000 + its session's index (session-constant),
 * `history` a session-constant list of random 64-bit ids (negative and huge ones too, and rows
 * longer than maxLength so truncation runs).
 */
export const schema: FeatureSchema = {
  features: [
    { name: 'label', kind: 'label' },
    { name: 'item', kind: 'sparse', tableSize: 1 << 30 },
    { name: 'price', kind: 'dense' },
    { name: 'age', kind: 'dense' },
    { name: 'prefix', kind: 'sequence', tableSize: 1000, maxLength: 4 },
    { name: 'user', kind: 'sparse', tableSize: 1 << 20, dedupGroup: 'session' },
    { name: 'history', kind: 'sequence', tableSize: 997, maxLength: 6, dedupGroup: 'session' },
  ],
};

/** Samples of consecutive sessions with the given lengths, starting at session `firstSession` and sample `firstRow`. */
export function sessionChunk(lengths: readonly number[], options: { firstSession?: number; firstRow?: number; seed?: number } = {}): SampleChunk {
  const rng = new Rng(options.seed ?? 7);
  const firstSession = options.firstSession ?? 0;
  const firstRow = options.firstRow ?? 0;
  const rows = lengths.reduce((a, b) => a + b, 0);
  const label = new Float32Array(rows);
  const sessionId = new BigInt64Array(rows);
  const item = new BigInt64Array(rows);
  const price = new Float32Array(rows);
  const age = new Float32Array(rows);
  const user = new BigInt64Array(rows);
  const prefixOffsets = new Int32Array(rows + 1);
  const prefix: bigint[] = [];
  const historyOffsets = new Int32Array(rows + 1);
  const history: bigint[] = [];
  let row = 0;
  lengths.forEach((length, s) => {
    const session = firstSession + s;
    const sessionHistory = Array.from({ length: rng.nextInt(9) }, () => randomId(rng));
    for (let i = 0; i < length; i++, row++) {
      const index = firstRow + row;
      label[row] = index % 2;
      sessionId[row] = BigInt(session);
      item[row] = BigInt(index);
      price[row] = index * 0.5 - 3;
      age[row] = (index % 7) - 1;
      user[row] = BigInt(1000 + session);
      for (let j = rng.nextInt(6); j > 0; j--) prefix.push(BigInt(rng.nextInt(5000)) - 100n);
      prefixOffsets[row + 1] = prefix.length;
      history.push(...sessionHistory);
      historyOffsets[row + 1] = history.length;
    }
  });
  return {
    length: rows,
    columns: [
      { name: 'label', type: 'float32', values: label },
      { name: 'session_id', type: 'int64', values: sessionId },
      { name: 'item', type: 'int64', values: item },
      { name: 'price', type: 'float32', values: price },
      { name: 'age', type: 'float32', values: age },
      { name: 'prefix', type: 'list<int64>', offsets: prefixOffsets, values: BigInt64Array.from(prefix) },
      { name: 'user', type: 'int64', values: user },
      { name: 'history', type: 'list<int64>', offsets: historyOffsets, values: BigInt64Array.from(history) },
    ],
  };
}

function randomId(rng: Rng): bigint {
  const hi = BigInt(rng.nextUint32()) << 32n;
  return BigInt.asIntN(64, hi | BigInt(rng.nextUint32()));
}

/** Session lengths 1..maxLength, `sessions` of them, seeded. */
export function sessionLengths(sessions: number, maxLength: number, seed = 3): number[] {
  const rng = new Rng(seed);
  return Array.from({ length: sessions }, () => 1 + rng.nextInt(maxLength));
}

/** Chunks of about `rowsPerChunk` rows (sessions never split) covering `lengths`. */
export function chunksOf(lengths: readonly number[], rowsPerChunk: number): SampleChunk[] {
  const chunks: SampleChunk[] = [];
  let session = 0;
  let row = 0;
  while (session < lengths.length) {
    const take: number[] = [];
    let rows = 0;
    while (session + take.length < lengths.length) {
      const next = lengths[session + take.length];
      if (rows > 0 && rows + next > rowsPerChunk) break;
      take.push(next);
      rows += next;
    }
    chunks.push(sessionChunk(take, { firstSession: session, firstRow: row, seed: session + 1 }));
    session += take.length;
    row += rows;
  }
  return chunks;
}

/** A temp folder removed by `cleanup`. */
export function tempRoot(prefix: string): { dir: (name: string) => string; cleanup: () => void } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  return { dir: (name) => join(root, name), cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** Writes chunks to a dataset: chunk i goes to shard i % shards. */
export async function writeDataset(dir: string, chunks: readonly SampleChunk[], options: { shards?: number; rowGroupSize?: number } = {}): Promise<void> {
  const shards = options.shards ?? 1;
  const writer = await DatasetWriter.create(dir, { shards, rowGroupSize: options.rowGroupSize ?? 64 });
  for (let i = 0; i < chunks.length; i++) await writer.write(i % shards, chunks[i]);
  await writer.finish({ order: 'session', schema });
}

export async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

/** The session features as a KJT whatever the dedup setting. */
export function sessionKjt(batch: Batch): KeyedJaggedTensor {
  const session = batch.sessionSparse;
  return session instanceof InverseKeyedJaggedTensor ? session.expand() : session;
}

/** Item ids (= global sample indices) of a batch, in batch order. */
export function itemsOf(batch: Batch): number[] {
  return Array.from(batch.sparse.get('item').values as Int32Array);
}

/** User ids (= 1000 + session index) of a batch, in batch order. */
export function usersOf(batch: Batch): number[] {
  return Array.from(sessionKjt(batch).get('user').values as Int32Array);
}

/** `size` compressible bytes (runs and repeats, like id columns) from `seed`: a page to compress in ZSTD tests. */
export function compressiblePage(size: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    bytes[i] = i % 64 < 40 ? (x >>> 24) & 7 : i & 0xff;
  }
  return bytes;
}
