/**
 * Rows given as stretches of other chunks (DatasetWriter.writeStretches, generateSamples' write
 * path): with the native encoder and encoder threads, whole row groups are assembled in the
 * worker from SharedArrayBuffers. The file holds exactly the rows of the stretches, read by both
 * readers, with the same bytes as without threads; the parquet-wasm twin stores the same rows.
 */
import * as fs from 'node:fs';
import type { FeatureSchema } from '@recd/core';
import { DatasetWriter, DatasetWriterOptions, SampleChunk } from '../src/dataset';
import { toSharedChunk } from '../src/dataset/shared-chunk';
import { StretchAssembler } from '../src/samples/stretch-assembler';
import { chunkBytes, expectSameBytes, randomChunk, readWithJs, readWithWasm, seeded, tempRoot } from './native-helpers';

jest.setTimeout(120_000);

const temp = tempRoot('recd-native-stretches-');
afterAll(() => temp.cleanup());
let serial = 0;
const labelOnly: FeatureSchema = { features: [{ name: 'label', kind: 'label' }] };

/** Stretches of 1..40 rows from random places of `sources`, `rows` rows in all. */
function stretchesOf(sources: readonly SampleChunk[], rows: number, seed: number): { chunk: SampleChunk; from: number; to: number }[] {
  const random = seeded(seed);
  const out: { chunk: SampleChunk; from: number; to: number }[] = [];
  for (let left = rows; left > 0; ) {
    const chunk = sources[Math.floor(random() * sources.length)];
    const length = Math.min(left, 1 + Math.floor(random() * 40), chunk.length);
    const from = Math.floor(random() * (chunk.length - length + 1));
    out.push({ chunk, from, to: from + length });
    left -= length;
  }
  return out;
}

/** Writes the stretches as generateSamples does (flushes of exactly rowGroupSize rows, then the rest); returns the directory. */
async function writeStretches(stretches: readonly { chunk: SampleChunk; from: number; to: number }[], options: Omit<DatasetWriterOptions, 'shards'>): Promise<string> {
  const dir = temp.dir(`d${serial++}`);
  const rowGroupSize = options.rowGroupSize!;
  const writer = await DatasetWriter.create(dir, { shards: 1, sessionColumn: null, ...options });
  const builder = new StretchAssembler(stretches[0].chunk.columns);
  for (const { chunk, from, to } of stretches) {
    for (let at = from; at < to; ) {
      const take = Math.min(to - at, rowGroupSize - builder.length);
      builder.add(chunk, at, at + take);
      at += take;
      if (builder.length >= rowGroupSize) await writer.writeStretches(0, builder.takeStretches());
    }
  }
  if (builder.length > 0) await writer.writeStretches(0, builder.takeStretches());
  await writer.finish({ order: 'session', schema: labelOnly, sessionsPerShard: [0] });
  return dir;
}

/** The rows of the stretches, assembled here. */
function expectedRows(stretches: readonly { chunk: SampleChunk; from: number; to: number }[]): SampleChunk {
  const assembler = new StretchAssembler(stretches[0].chunk.columns);
  for (const { chunk, from, to } of stretches) assembler.add(chunk, from, to);
  return assembler.take();
}

test.each<[string, Omit<DatasetWriterOptions, 'shards' | 'encoderThreads' | 'pageEncoder'>]>([
  ['zstd, dictionary lists, delta ids', { codec: 'zstd', listEncoding: 'dictionary', columnEncodings: { id: 'delta', ts: 'dictionary', score: 'byte-stream-split' } }],
  ['uncompressed, plain lists, byte-stream-split ids', { codec: 'none', listEncoding: 'plain', columnEncodings: { id: 'byte-stream-split', ts: 'delta', score: 'dictionary' } }],
])('%s: stretches of plain and shared chunks, in threads or not, store exactly their rows', async (_name, settings) => {
  // sources in ordinary ArrayBuffers and in SharedArrayBuffers
  const sources = [randomChunk(300, 1, { longLists: true }), toSharedChunk(randomChunk(250, 2)), randomChunk(90, 3), toSharedChunk(randomChunk(400, 4, { longLists: true }))];
  const stretches = stretchesOf(sources, 1111, 9);
  const expected = chunkBytes([expectedRows(stretches)]);
  const options = { ...settings, rowGroupSize: 256, dataPageSizeBytes: 512 };
  const files: Buffer[] = [];
  for (const [pageEncoder, encoderThreads] of [['native', 2], ['native', 0], ['parquet-wasm', 2]] as const) {
    const dir = await writeStretches(stretches, { ...options, pageEncoder, encoderThreads });
    const file = `${dir}/part-00000.parquet`;
    expectSameBytes(await readWithWasm(file), expected, `${pageEncoder} ${encoderThreads} threads, parquet-wasm reader`);
    expectSameBytes(await readWithJs(dir), expected, `${pageEncoder} ${encoderThreads} threads, JavaScript reader`);
    files.push(fs.readFileSync(file));
  }
  expect(files[0].equals(files[1])).toBe(true);
});
