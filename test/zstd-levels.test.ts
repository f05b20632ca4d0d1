/**
 * Datasets written at ZSTD levels other than parquet-wasm's own (pages recompressed by
 * @recd/datagen) read back, in both of the loader's decoders, exactly the values of the level-1
 * file, for several row-group sizes, with and without encoder threads; other codecs ignore the level.
 */
import { Hash, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FeatureSchema } from '@recd/core';
import { DatasetWriter, SampleChunk, openDatasetManifest, readParquetLayout, readShardChunks } from '@recd/datagen';
import type { DatasetWriterOptions } from '@recd/datagen';
import { readRowGroupWithJs } from '../packages/loader/src/parquet/shard-reader';
import { materializeColumn } from '../packages/loader/src/dictionary-ids';
import { syntheticChunk as chunkOf } from '../packages/datagen/test/samples-helpers';

const root = mkdtempSync(join(tmpdir(), 'recd-zstd-levels-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let serial = 0;

const schema: FeatureSchema = {
  features: [
    { name: 'label', kind: 'label' },
    { name: 'item_id', kind: 'sparse', tableSize: 5000 },
    { name: 'prefix', kind: 'sequence', tableSize: 400, maxLength: 20 },
  ],
};

async function written(options: Omit<DatasetWriterOptions, 'shards'>): Promise<string> {
  const dir = join(root, `d${serial++}`);
  const writer = await DatasetWriter.create(dir, { shards: 1, plainColumns: ['session_id'], ...options });
  for (const [i, rows] of [900, 1300, 7, 2100].entries()) await writer.write(0, chunkOf(rows, i + 1));
  await writer.finish({ order: 'session', schema });
  return dir;
}

/** A digest of every column's bytes (list offsets rebased per chunk), so equal means bit for bit. */
function bytesOf(chunks: SampleChunk[]): Record<string, string> {
  const hashes = new Map<string, Hash>();
  const raw = (array: ArrayBufferView): Uint8Array => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
  for (const chunk of chunks) {
    for (const column of chunk.columns) {
      let hash = hashes.get(column.name);
      if (hash === undefined) hashes.set(column.name, (hash = createHash('sha256')));
      if ('offsets' in column) hash.update(raw(Int32Array.from(column.offsets, (o) => o - column.offsets[0])));
      hash.update(raw(column.values));
    }
  }
  return Object.fromEntries([...hashes].map(([name, hash]) => [name, hash.digest('hex')]));
}

async function decodedBoth(dir: string): Promise<{ wasm: Record<string, string>; js: Record<string, string> }> {
  const manifest = await openDatasetManifest(dir);
  const shard = join(dir, manifest.shards[0].file);
  const wasm: SampleChunk[] = [];
  for await (const chunk of readShardChunks(shard, { batchSize: manifest.rowGroupSize })) wasm.push(chunk);
  const js: SampleChunk[] = [];
  for (let g = 0; g < manifest.shards[0].rowGroups; g++) {
    const chunk = await readRowGroupWithJs(shard, g, manifest.columns, manifest.shards[0]);
    js.push({ length: chunk.length, columns: chunk.columns.map(materializeColumn) });
  }
  return { wasm: bytesOf(wasm), js: bytesOf(js) };
}

describe.each([250, 1000, 10_000])('row groups of %i rows', (rowGroupSize) => {
  test.each([0, 2])('levels 3 and 9 read back as level 1 in parquet-wasm and the JS reader (%i encoder threads)', async (encoderThreads) => {
    const reference = await decodedBoth(await written({ rowGroupSize, zstdLevel: 1, encoderThreads }));
    expect(reference.js).toEqual(reference.wasm);
    const sizes: number[] = [];
    for (const zstdLevel of [3, 9]) {
      const dir = await written({ rowGroupSize, zstdLevel, encoderThreads });
      const manifest = await openDatasetManifest(dir);
      expect(manifest.zstdLevel).toBe(zstdLevel);
      const { wasm, js } = await decodedBoth(dir);
      expect(wasm).toEqual(reference.wasm);
      expect(js).toEqual(reference.wasm);
      sizes.push(manifest.shards[0].bytes);
    }
    expect(sizes[1]).toBeLessThanOrEqual(sizes[0]);
  });
});

test('the bytes do not depend on encoder threads at level 3', async () => {
  const files = await Promise.all([0, 1, 3].map(async (encoderThreads) => readFileSync(join(await written({ rowGroupSize: 500, zstdLevel: 3, encoderThreads }), 'part-00000.parquet'))));
  for (const file of files.slice(1)) expect(file.equals(files[0])).toBe(true);
});

test.each(['snappy', 'gzip', 'none'] as const)('codec %s ignores the ZSTD level (parquet-wasm writes it)', async (codec) => {
  const [a, b] = await Promise.all([1, 9].map(async (zstdLevel) => join(await written({ rowGroupSize: 1000, codec, zstdLevel }), 'part-00000.parquet')));
  expect(readFileSync(a).equals(readFileSync(b))).toBe(true);
  const manifest = JSON.parse(readFileSync(join(a, '..', 'manifest.json'), 'utf8'));
  expect(manifest.zstdLevel).toBeUndefined();
});

test('PLAIN list values read back as dictionary-encoded ones, with the other columns keeping their dictionary', async () => {
  const reference = await decodedBoth(await written({ rowGroupSize: 1000, zstdLevel: 1 }));
  const dir = await written({ rowGroupSize: 1000, zstdLevel: 3, listEncoding: 'plain' });
  const { wasm, js } = await decodedBoth(dir);
  expect(wasm).toEqual(reference.wasm);
  expect(js).toEqual(reference.wasm);
  const layout = await readParquetLayout(join(dir, 'part-00000.parquet'));
  const encodings = Object.fromEntries(layout.columns.map((column) => [column.name, column.encodings]));
  expect(encodings.prefix).not.toContain('RLE_DICTIONARY');
  expect(encodings.item_id).toContain('RLE_DICTIONARY');
  expect(encodings.session_id).not.toContain('RLE_DICTIONARY');
});

test('an out-of-range level is refused', async () => {
  await expect(DatasetWriter.create(join(root, 'bad'), { shards: 1, zstdLevel: 0 })).rejects.toThrow(/zstdLevel to be an integer in \[1, 22\], got 0/);
  await expect(DatasetWriter.create(join(root, 'bad'), { shards: 1, zstdLevel: 2.5 })).rejects.toThrow(/zstdLevel/);
});
