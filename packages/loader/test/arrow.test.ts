import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { Writable } from 'node:stream';
import { InverseKeyedJaggedTensor, KeyedJaggedTensor, SchemaError, decodeBatchesIpc } from '@recd/core';
import { Batch, ArrowStreamWriter, datasetFromChunks, writeArrowStream } from '@recd/loader';
import { chunksOf, collect, schema, sessionKjt, sessionLengths, tempRoot } from './helpers';

const chunks = chunksOf(sessionLengths(80, 8), 100);
const temp = tempRoot('recd-loader-arrow-');
afterAll(() => temp.cleanup());

function expectSameBatches(bytes: Uint8Array, batches: Batch[]): void {
  const decoded = decodeBatchesIpc(bytes);
  expect(decoded).toHaveLength(batches.length);
  decoded.forEach((arrow, i) => {
    const batch = batches[i];
    expect(arrow.labels).toEqual(batch.labels);
    expect(arrow.dense).toEqual(batch.dense);
    const all = KeyedJaggedTensor.concat([batch.sparse, sessionKjt(batch)]);
    const sparse = arrow.sparse instanceof InverseKeyedJaggedTensor ? arrow.sparse.expand() : arrow.sparse;
    expect(sparse.equals(all)).toBe(true);
    expect(arrow.sparse instanceof InverseKeyedJaggedTensor).toBe(batch.sessionSparse instanceof InverseKeyedJaggedTensor);
  });
}

test('a dataset streamed to an Arrow IPC file reads back batch for batch (dedup on and off)', async () => {
  for (const dedup of [true, false]) {
    const dataset = datasetFromChunks(chunks, schema, { batchSize: 64, dedup, shuffle: { seed: 1 } });
    const file = temp.dir(`batches-${dedup}.arrows`);
    const summary = await writeArrowStream(dataset, file);
    const batches = await collect(dataset);
    expect(summary).toMatchObject({ batches: batches.length, samples: batches.reduce((a, b) => a + b.size, 0) });
    const bytes = readFileSync(file);
    expect(summary.bytes).toBe(bytes.length);
    expectSameBatches(bytes, batches);
  }
  expect(readdirSync(temp.dir('.')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
});

test('to a slow Writable, with backpressure; `end: false` leaves it open (stdout)', async () => {
  const received: Buffer[] = [];
  const sink = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      received.push(chunk);
      setTimeout(callback, 1);
    },
  });
  const dataset = datasetFromChunks(chunks, schema, { batchSize: 32 });
  const writer = ArrowStreamWriter.open(sink, { end: false });
  for await (const batch of dataset) await writer.write(batch);
  await writer.close();
  expect(sink.writableEnded).toBe(false);
  expectSameBatches(Buffer.concat(received), await collect(dataset));
});

test('a batch of another layout is refused; a failed stream leaves no file behind', async () => {
  const [withDedup] = await collect(datasetFromChunks(chunks, schema, { batchSize: 16 }));
  const [withoutDedup] = await collect(datasetFromChunks(chunks, schema, { batchSize: 16, dedup: false }));
  const file = temp.dir('mixed.arrows');
  await expect(writeArrowStream([withDedup, withoutDedup], file)).rejects.toThrow(SchemaError);
  expect(existsSync(file)).toBe(false);
  await expect(writeArrowStream([], temp.dir('empty.arrows'))).rejects.toThrow('no batches were written');
  expect(readdirSync(temp.dir('.')).filter((name) => name.endsWith('.tmp'))).toEqual([]);
});
