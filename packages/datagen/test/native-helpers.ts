/**
 * Shared by the native encoder tests: seeded sample chunks with the values that break encoders
 * (NaN with payloads, -0, infinities, int64 extremes, empty and long lists), a one-shard dataset
 * writer, and the two readers (parquet-wasm's readShardChunks, the loader's JavaScript reader)
 * giving every column's stored bytes for exact comparison.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { FeatureSchema } from '@recd/core';
import { DatasetWriter, DatasetWriterOptions, SampleChunk, openDatasetManifest, readShardChunks } from '../src/dataset';
import { readRowGroupWithJs } from '../../loader/src/parquet/shard-reader';
import { materializeColumn } from '../../loader/src/dictionary-ids';

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
const labelOnly: FeatureSchema = { features: [{ name: 'label', kind: 'label' }] };

/** A seeded generator of uniform numbers in [0, 1). */
export function seeded(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
}

/** Float32 bit patterns a writer must keep: NaNs (quiet, negative, with a payload), zeros of both signs, infinities, subnormals, extremes. */
const SPECIAL_FLOAT_BITS = [0x7fc00000, 0xffc00000, 0x7f800001, 0x7fc12345, 0x80000000, 0x00000000, 0x7f800000, 0xff800000, 0x00000001, 0x807fffff, 0x7f7fffff, 0xff7fffff];

const INT64_SPECIALS = [INT64_MIN, INT64_MAX, INT64_MIN + 1n, INT64_MAX - 1n, 0n, -1n, 1n, 2n ** 51n, -(2n ** 51n), 2n ** 32n, -(2n ** 32n) - 1n];

/**
 * `rows` rows: `label` (float32 0/1), `score` (float32 with special values and runs), `id` (int64,
 * random 64-bit with extremes and negatives, in runs), `ts` (times growing with jumps back),
 * `items` (list<int64>: many empty rows, some long lists, extremes), `none` (list<int64>, every
 * row empty).
 */
export function randomChunk(rows: number, seed: number, options: { longLists?: boolean } = {}): SampleChunk {
  const random = seeded(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  const int64 = (): bigint => {
    const r = random();
    if (r < 0.15) return pick(INT64_SPECIALS);
    if (r < 0.5) return BigInt(Math.floor(random() * 2000) - 1000);
    return BigInt.asIntN(64, (BigInt(Math.floor(random() * 2 ** 32)) << 32n) | BigInt(Math.floor(random() * 2 ** 32)));
  };
  const scoreBits = new Uint32Array(rows);
  const scoreView = new Float32Array(scoreBits.buffer);
  const ids = new BigInt64Array(rows);
  const times = new BigInt64Array(rows);
  let t = 1_767_225_600_000n;
  for (let i = 0; i < rows; i++) {
    const r = random();
    if (r < 0.2) scoreBits[i] = pick(SPECIAL_FLOAT_BITS);
    else if (r < 0.4 && i > 0) scoreBits[i] = scoreBits[i - 1];
    else scoreView[i] = (random() - 0.5) * 10 ** Math.floor(random() * 8);
    ids[i] = i > 0 && random() < 0.4 ? ids[i - 1] : int64();
    t += random() < 0.02 ? -BigInt(Math.floor(random() * 1e7)) : BigInt(Math.floor(random() * 3000));
    times[i] = t;
  }
  const offsets = new Int32Array(rows + 1);
  const items: bigint[] = [];
  for (let i = 0; i < rows; i++) {
    const r = random();
    const length = r < 0.35 ? 0 : r < 0.95 || !options.longLists ? 1 + Math.floor(random() * 6) : 100 + Math.floor(random() * 400);
    for (let k = 0; k < length; k++) items.push(random() < 0.6 ? BigInt(Math.floor(random() * 50)) : int64());
    offsets[i + 1] = items.length;
  }
  return {
    length: rows,
    columns: [
      { name: 'label', type: 'float32', values: Float32Array.from({ length: rows }, () => (random() < 0.3 ? 1 : 0)) },
      { name: 'score', type: 'float32', values: scoreView },
      { name: 'id', type: 'int64', values: ids },
      { name: 'ts', type: 'int64', values: times },
      { name: 'items', type: 'list<int64>', offsets, values: BigInt64Array.from(items) },
      { name: 'none', type: 'list<int64>', offsets: new Int32Array(rows + 1), values: new BigInt64Array(0) },
    ],
  };
}

/** Writes `pieces` (one chunk's rows, in several writes) as a one-shard dataset; returns the shard's path. */
export async function writeShard(dir: string, pieces: readonly SampleChunk[], options: Omit<DatasetWriterOptions, 'shards'>): Promise<string> {
  const writer = await DatasetWriter.create(dir, { shards: 1, sessionColumn: null, ...options });
  for (const piece of pieces) await writer.write(0, piece);
  const manifest = await writer.finish({ order: 'session', schema: labelOnly, sessionsPerShard: [0] });
  return path.join(dir, manifest.shards[0].file);
}

/** Per column: its stored bytes (floats as bit patterns), lists as offsets (from 0) and values. */
export type ColumnBytes = Map<string, { offsets?: Buffer; values: Buffer }>;

const bytesOf = (array: ArrayBufferView): Buffer => Buffer.from(array.buffer, array.byteOffset, array.byteLength);

/** Joins chunks (row groups, read batches) column by column into their bytes. */
export function chunkBytes(chunks: readonly SampleChunk[]): ColumnBytes {
  const parts = new Map<string, { offsets?: number[]; values: Buffer[] }>();
  for (const chunk of chunks) {
    for (const column of chunk.columns) {
      let part = parts.get(column.name);
      if (part === undefined) parts.set(column.name, (part = { offsets: column.type === 'list<int64>' ? [0] : undefined, values: [] }));
      if (column.type === 'list<int64>') {
        const offsets = part.offsets!;
        const base = offsets[offsets.length - 1];
        for (let i = 1; i <= chunk.length; i++) offsets.push(base + column.offsets[i] - column.offsets[0]);
        part.values.push(bytesOf(column.values.subarray(column.offsets[0], column.offsets[chunk.length])));
      } else part.values.push(bytesOf(column.values.subarray(0, chunk.length)));
    }
  }
  const out: ColumnBytes = new Map();
  for (const [name, part] of parts) out.set(name, { values: Buffer.concat(part.values), offsets: part.offsets && bytesOf(Int32Array.from(part.offsets)) });
  return out;
}

/** The shard read by parquet-wasm (readShardChunks; small batches cut row groups). */
export async function readWithWasm(file: string, batchSize = 97): Promise<ColumnBytes> {
  const chunks: SampleChunk[] = [];
  for await (const chunk of readShardChunks(file, { batchSize })) chunks.push(chunk);
  return chunkBytes(chunks);
}

/** The shard read by the loader's JavaScript reader, row group by row group (dictionary columns materialized). */
export async function readWithJs(dir: string): Promise<ColumnBytes> {
  const manifest = await openDatasetManifest(dir);
  const [shard] = manifest.shards;
  const chunks: SampleChunk[] = [];
  for (let g = 0; g < shard.rowGroups; g++) {
    const decoded = await readRowGroupWithJs(path.join(dir, shard.file), g, manifest.columns, shard);
    chunks.push({ length: decoded.length, columns: decoded.columns.map(materializeColumn) });
  }
  return chunkBytes(chunks);
}

/** Fails with the column and the first differing byte when `actual` does not hold exactly `expected`'s bytes. */
export function expectSameBytes(actual: ColumnBytes, expected: ColumnBytes, what: string): void {
  expect([...actual.keys()]).toEqual([...expected.keys()]);
  for (const [name, want] of expected) {
    const got = actual.get(name)!;
    for (const part of ['offsets', 'values'] as const) {
      const a = got[part];
      const b = want[part];
      if (a === undefined || b === undefined) {
        expect([what, name, part, a === undefined]).toEqual([what, name, part, b === undefined]);
        continue;
      }
      const n = Math.min(a.length, b.length);
      let first = -1;
      for (let i = 0; i < n && first < 0; i++) if (a[i] !== b[i]) first = i;
      if (first < 0 && a.length !== b.length) first = n;
      expect([what, name, part, first, a.length]).toEqual([what, name, part, -1, b.length]);
    }
  }
}

export function tempRoot(prefix: string): { dir: (name: string) => string; cleanup: () => void } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir: (name) => path.join(root, name), cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

/**
 * Shapes at the encoders' edges: constant columns (a dictionary of one value, index bit width 0),
 * an all-NaN float column, one list row longer than many pages and bit-packed runs (70 000
 * values) between empty rows, and a list column whose rows are all empty.
 */
export function edgeChunk(rows: number): SampleChunk {
  const long = 70_000;
  const offsets = new Int32Array(rows + 1);
  // row 0 empty, row 1 the long list, then rows of 0..6 values, every other row empty
  for (let i = 0; i < rows; i++) offsets[i + 1] = offsets[i] + (i === 1 ? long : i % 2 === 1 ? i % 7 : 0);
  const values = BigInt64Array.from({ length: offsets[rows] }, (_, i) => (i < long ? BigInt(i % 300) - 150n : INT64_MIN + BigInt(i)));
  return {
    length: rows,
    columns: [
      { name: 'label', type: 'float32', values: new Float32Array(rows).fill(1) },
      { name: 'nan', type: 'float32', values: new Float32Array(rows).fill(NaN) },
      { name: 'id', type: 'int64', values: new BigInt64Array(rows).fill(INT64_MAX) },
      { name: 'ts', type: 'int64', values: new BigInt64Array(rows).fill(-7n) },
      { name: 'items', type: 'list<int64>', offsets, values },
      { name: 'none', type: 'list<int64>', offsets: new Int32Array(rows + 1), values: new BigInt64Array(0) },
    ],
  };
}
