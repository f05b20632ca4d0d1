import fc from 'fast-check';
import { FeatureSchema, SchemaError } from '@recd/core';
import type { SampleChunk } from '@recd/datagen';
import { Transform, datasetFromChunks } from '@recd/loader';
import { collect } from './helpers';

const schema: FeatureSchema = {
  features: [
    { name: 'label', kind: 'label' },
    { name: 'x', kind: 'dense' },
    { name: 'id', kind: 'sparse', tableSize: 1000 },
    { name: 'seq', kind: 'sequence', tableSize: 1000, maxLength: 3 },
  ],
};

function chunk(ids: bigint[], seq: bigint[][], x: number[] = ids.map(() => 0)): SampleChunk {
  const offsets = [0];
  for (const row of seq) offsets.push(offsets[offsets.length - 1] + row.length);
  return {
    length: ids.length,
    columns: [
      { name: 'label', type: 'float32', values: new Float32Array(ids.length) },
      { name: 'x', type: 'float32', values: Float32Array.from(x) },
      { name: 'id', type: 'int64', values: BigInt64Array.from(ids) },
      { name: 'seq', type: 'list<int64>', offsets: Int32Array.from(offsets), values: BigInt64Array.from(seq.flat()) },
    ],
  };
}

async function run(data: SampleChunk, transforms: Record<string, Transform[]>, reduceIds = true) {
  const [batch] = await collect(datasetFromChunks([data], schema, { batchSize: data.length, transforms, reduceIds }));
  return batch;
}

/** murmur3 x86 32-bit over bytes: the naive twin of the loader's word-level hash. */
function murmur3Bytes(bytes: Uint8Array, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    let k = (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
  }
  h ^= bytes.length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hashReference(id: bigint, tableSize: number, seed: number): number {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigInt64(0, id, true);
  return (murmur3Bytes(bytes, seed) & 0x7fffffff) % tableSize;
}

const anyId = fc.oneof(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.bigInt({ min: -70000n, max: 70000n }), fc.bigInt({ min: 1n << 31n, max: 1n << 33n }));
const tableSize = fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(1 << 20, 1 << 30, 2147483647, 1000003), fc.integer({ min: 1, max: 2147483647 }));

test('modulo is the floor-mod of the signed 64-bit id, for any id and table size (against BigInt)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(anyId, { minLength: 1, maxLength: 40 }), tableSize, async (ids, size) => {
      const batch = await run(chunk(ids, ids.map(() => [])), { id: [{ kind: 'modulo', tableSize: size }] });
      const expected = ids.map((id) => Number(((id % BigInt(size)) + BigInt(size)) % BigInt(size)));
      expect(Array.from(batch.sparse.get('id').values as Int32Array)).toEqual(expected);
    }),
    { numRuns: 200 },
  );
});

test('hash is murmur3 of the 8 little-endian bytes, then mod: the same for an id still 64-bit or already 32-bit', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(anyId, { minLength: 1, maxLength: 40 }), tableSize, fc.nat(), async (ids, size, seed) => {
      const batch = await run(chunk(ids, ids.map(() => [])), { id: [{ kind: 'hash', tableSize: size, seed }] });
      expect(Array.from(batch.sparse.get('id').values as Int32Array)).toEqual(ids.map((id) => hashReference(id, size, seed)));
    }),
    { numRuns: 100 },
  );
  const small = [5n, 0n, 123456n, 2147483646n];
  const direct = await run(chunk(small, small.map(() => [])), { id: [{ kind: 'hash', tableSize: 97, seed: 3 }] });
  const afterModulo = await run(chunk(small, small.map(() => [])), { id: [{ kind: 'modulo', tableSize: 2147483647 }, { kind: 'hash', tableSize: 97, seed: 3 }] });
  expect(afterModulo.sparse.get('id').values).toEqual(direct.sparse.get('id').values);
});

test('truncate keeps the first or last ids; pad fills rows up to a length; the default chain truncates to maxLength', async () => {
  const seq = [[1n, 2n, 3n, 4n, 5n], [], [7n], [8n, 9n, 10n]];
  const ids = [0n, 0n, 0n, 0n];
  const rows = async (chain: Transform[]) => (await run(chunk(ids, seq), { seq: [...chain, { kind: 'modulo', tableSize: 1000 }] })).sparse.get('seq').toArrays().map((row) => row.map(Number));
  expect(await rows([{ kind: 'truncate', maxLength: 2, keep: 'first' }])).toEqual([[1, 2], [], [7], [8, 9]]);
  expect(await rows([{ kind: 'truncate', maxLength: 2 }])).toEqual([[4, 5], [], [7], [9, 10]]);
  expect(await rows([{ kind: 'truncate' }, { kind: 'pad', length: 3, value: 0 }])).toEqual([[3, 4, 5], [0, 0, 0], [7, 0, 0], [8, 9, 10]]);
  expect(await rows([{ kind: 'pad', length: 2, value: -1 }])).toEqual([[1, 2, 3, 4, 5], [999, 999], [7, 999], [8, 9, 10]]);
  const byDefault = await run(chunk(ids, seq), {});
  expect(byDefault.sparse.get('seq').toArrays().map((row) => row.map(Number))).toEqual([[3, 4, 5], [], [7], [8, 9, 10]]);
  const raw = await run(chunk(ids, seq), {}, false);
  expect(raw.sparse.idType).toBe('int64');
  expect(raw.sparse.get('seq').toArrays()).toEqual([[3n, 4n, 5n], [], [7n], [8n, 9n, 10n]]);
});

test('dense transforms: log1p, standardize, clip; bucketize turns a dense feature into a sparse id', async () => {
  const x = [-2, 0, 1, 9, 100];
  const ids = x.map(() => 0n);
  const dense = async (chain: Transform[]) => Array.from((await run(chunk(ids, ids.map(() => []), x), { x: chain })).dense);
  expect(await dense([{ kind: 'log1p' }])).toEqual(x.map((v) => Math.fround(Math.log1p(Math.max(v, 0)))));
  expect(await dense([{ kind: 'standardize', mean: 1, std: 4 }])).toEqual(x.map((v) => Math.fround((v - 1) / 4)));
  expect(await dense([{ kind: 'clip', min: 0, max: 10 }])).toEqual([0, 0, 1, 9, 10]);
  expect(await dense([{ kind: 'log1p' }, { kind: 'clip', max: 1 }])).toEqual([0, 0, Math.fround(Math.log1p(1)), 1, 1]);
  const dataset = datasetFromChunks([chunk(ids, ids.map(() => []), x)], schema, { transforms: { x: [{ kind: 'clip', min: 0 }, { kind: 'bucketize', boundaries: [0, 1, 10] }] } });
  expect(dataset.layout.dense).toEqual([]);
  expect(dataset.layout.sparseKeys).toEqual(['id', 'seq', 'x']);
  expect(dataset.layout.tableSizes.x).toBe(4);
  const [batch] = await collect(dataset);
  expect(batch.dense).toHaveLength(0);
  expect(Array.from(batch.sparse.get('x').values as Int32Array)).toEqual([1, 1, 2, 2, 3]);
});

test('transforms are checked against the schema when the dataset is made', () => {
  const data = [chunk([1n], [[1n]])];
  const make = (transforms: Record<string, unknown[]>) => () => datasetFromChunks(data, schema, { transforms: transforms as Record<string, Transform[]> });
  expect(make({ nope: [] })).toThrow(new SchemaError('transforms: no feature "nope"; features are label, x, id, seq'));
  expect(make({ x: [{ kind: 'modulo' }] })).toThrow('transforms["x"][0]: expected a dense transform');
  expect(make({ id: [{ kind: 'log1p' }] })).toThrow('transforms["id"][0]: expected an id transform');
  expect(make({ id: [{ kind: 'modulo', tableSize: 0 }] })).toThrow('transforms["id"][0].tableSize: expected an integer in [1, 2147483647], got 0');
  expect(make({ x: [{ kind: 'bucketize', boundaries: [2, 1] }] })).toThrow('strictly ascending');
  expect(make({ x: [{ kind: 'bucketize', boundaries: [1] }, { kind: 'log1p' }] })).toThrow('bucketize must be the last transform');
  expect(make({ x: [{ kind: 'standardize', mean: 0, std: 0 }] })).toThrow('positive finite std');
  expect(make({ label: [{ kind: 'log1p' }] })).toThrow('the label takes no transforms');
  expect(() => datasetFromChunks(data, schema, { batchSize: 0 })).toThrow('expected batchSize to be an integer >= 1, got 0');
  expect(() => datasetFromChunks(data, schema, { rank: 2, worldSize: 2 })).toThrow('expected 0 <= rank < worldSize = 2, got rank 2');
});
