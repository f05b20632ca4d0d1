import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { FeatureSchema } from '@recd/core';
import { generateSamples, getPreset, writeSyntheticLog } from '@recd/datagen';
import { Table, tableToIPC } from 'apache-arrow';
import { Compression } from 'parquet-wasm/node';
import { DatasetWriter } from '../src/dataset';
import { sampleChunkToArrow } from '../src/dataset/sample-chunk-arrow';
import { EncoderPool } from '../src/encode/encoder-pool';
import type { PropertyCall } from '../src/encode/row-group-worker';
import { prepareZstd, zstdCompressPages } from '../src/encode/zstd-pages';
import { readParquetFooter } from '../src/encode/parquet-footer';
import { readThriftStruct, writeThriftStruct } from '../src/encode/thrift-compact';
import { syntheticChunk as chunkOf, tempDir } from './samples-helpers';

const labelOnly: FeatureSchema = { features: [{ name: 'label', kind: 'label' }] };

async function writeDataset(dir: string, encoderThreads: number, rowGroupSize: number, writes: { shard: number; rows: number }[], shards: number): Promise<Buffer[]> {
  const writer = await DatasetWriter.create(dir, { shards, rowGroupSize, encoderThreads, plainColumns: ['session_id'] });
  for (const [i, { shard, rows }] of writes.entries()) await writer.write(shard, chunkOf(rows, i + 1));
  const manifest = await writer.finish({ order: 'session', schema: labelOnly, sessionsPerShard: Array(shards).fill(0) });
  return manifest.shards.map((shard) => fs.readFileSync(path.join(dir, shard.file)));
}

describe('encoding row groups in worker threads', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('encoder-threads');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the same bytes as the in-thread encoder, chunks crossing row groups, empty shards included', async () => {
    const writes = [
      { shard: 0, rows: 700 },
      { shard: 1, rows: 300 },
      { shard: 0, rows: 1500 },
      { shard: 0, rows: 0 },
      { shard: 0, rows: 512 },
      { shard: 1, rows: 1 },
    ];
    const sequential = await writeDataset(path.join(dir, 'sequential'), 0, 512, writes, 3);
    const parallel = await writeDataset(path.join(dir, 'parallel'), 2, 512, writes, 3);
    expect(sequential.map((file) => file.length)).toEqual(parallel.map((file) => file.length));
    parallel.forEach((file, shard) => expect(file.equals(sequential[shard])).toBe(true));
  });

  it('writes the same bytes for any row-group size, chunk sizes and thread count (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 40, max: 700 }),
        fc.array(fc.integer({ min: 0, max: 900 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 3 }),
        async (rowGroupSize, sizes, threads) => {
          run++;
          const writes = sizes.map((rows) => ({ shard: 0, rows }));
          const [sequential] = await writeDataset(path.join(dir, `seq-${run}`), 0, rowGroupSize, writes, 1);
          const [parallel] = await writeDataset(path.join(dir, `par-${run}`), threads, rowGroupSize, writes, 1);
          expect(parallel.equals(sequential)).toBe(true);
        },
      ),
      { numRuns: 6 },
    );
  }, 60_000);

  it('gives generateSamples the same dataset bytes with and without encoder threads', async () => {
    const log = path.join(dir, 'log.csv');
    await writeSyntheticLog(log, { events: 6000, concurrentSessions: 200, seed: 3 });
    const outputs = [0, 1, 2].map((threads) => path.join(dir, `samples-${threads}`));
    for (const [threads, output] of outputs.entries()) {
      await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output, shards: 2, rowGroupSize: 1000, encoderThreads: threads });
    }
    for (const file of ['part-00000.parquet', 'part-00001.parquet']) {
      const [inThread, ...threaded] = outputs.map((output) => fs.readFileSync(path.join(output, file)));
      for (const bytes of threaded) expect(bytes.equals(inThread)).toBe(true);
    }
  }, 60_000);

  it('re-encodes a Parquet footer to the same bytes (Thrift compact round trip)', async () => {
    const [file] = await writeDataset(path.join(dir, 'footer'), 0, 100, [{ shard: 0, rows: 250 }], 1);
    const { footerStart } = readParquetFooter(file, 'footer');
    const footer = file.subarray(footerStart, file.length - 8);
    const { struct, end } = readThriftStruct(footer);
    expect(end).toBe(footer.length);
    expect(Buffer.from(writeThriftStruct(struct)).equals(footer)).toBe(true);
  });

  describe('ZSTD page recompression in the encoder threads', () => {
    const chunk = chunkOf(3000, 5);
    const ipc = (): Uint8Array => tableToIPC(new Table([sampleChunkToArrow(chunk)]), 'stream');
    const properties = (compression: Compression): PropertyCall[] => [
      ['setCompression', [compression]],
      ['setDataPageSizeLimit', [4096]],
    ];
    let pool: EncoderPool;
    beforeAll(() => {
      pool = new EncoderPool(2);
      return prepareZstd();
    });
    afterAll(() => pool.close());

    it('gives the bytes of its naive twin: encode in the worker, recompress in this thread', async () => {
      const plain = await (await pool.submit([ipc()], properties(Compression.UNCOMPRESSED))).file;
      for (const level of [1, 3, 9]) {
        const inWorker = await (await pool.submit([ipc()], properties(Compression.UNCOMPRESSED), { level, where: 'part row group 0' })).file;
        expect(Buffer.from(inWorker).equals(Buffer.from(zstdCompressPages(plain, level, 'naive')))).toBe(true);
      }
    });

    it('names the row group when the pages cannot be recompressed', async () => {
      const snappy = pool.submit([ipc()], properties(Compression.SNAPPY), { level: 3, where: 'out/part-00000.parquet row group 7' });
      await expect((await snappy).file).rejects.toThrow(/out\/part-00000\.parquet row group 7: expected UNCOMPRESSED pages/);
    });
  });
});
