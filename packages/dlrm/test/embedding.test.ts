import fc from 'fast-check';
import { JaggedTensor, Rng, idsFrom } from '@recd/core';
import { EmbeddingBag, idsToRows, rowOfWords } from '@recd/dlrm';
import { denseGrad, expectFiniteDifferences, jaggedOf, randomFloats, weightedSum } from './model-helpers';

const mod = (id: bigint, n: number): number => Number(((id % BigInt(n)) + BigInt(n)) % BigInt(n));

const EDGE_IDS = [0n, 1n, -1n, -7n, 2n ** 31n, -(2n ** 31n), 2n ** 32n - 1n, 2n ** 32n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 3n, 2n ** 60n + 12345n, 2n ** 63n - 1n, -(2n ** 63n)];
const TABLE_SIZES = [1, 2, 7, 1000, 1_000_003, 2 ** 26, 2 ** 26 + 1, 2 ** 31 - 1];

describe('ids to table rows: id mod n on 64-bit ids without BigInt', () => {
  test('negative ids, ids above 2^53 and the int64 extremes, small and large tables', () => {
    const ids = BigInt64Array.from(EDGE_IDS);
    for (const n of TABLE_SIZES) {
      const rows = new Int32Array(ids.length);
      idsToRows(ids, 0, ids.length, n, rows);
      expect(Array.from(rows)).toEqual(EDGE_IDS.map((id) => mod(id, n)));
    }
  });

  test('random int64 ids against BigInt arithmetic', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.integer({ min: 1, max: 2 ** 31 - 1 }), (id, n) => {
        const words = new Int32Array(BigInt64Array.of(id).buffer);
        expect(rowOfWords(words[1], words[0], n)).toBe(mod(id, n));
      }),
      { numRuns: 2000 },
    );
  });

  test('int32 ids, and a slice of the id array', () => {
    const ids = idsFrom('int32', [-5, 5, -2147483648, 2147483647]);
    const rows = new Int32Array(3);
    idsToRows(ids, 1, 4, 7, rows);
    expect(Array.from(rows)).toEqual([5, mod(-2147483648n, 7), mod(2147483647n, 7)]);
    expect(() => idsToRows(ids, 0, 1, 0, rows)).toThrow(/table size/);
  });

  test('EmbeddingBag looks up id mod tableSize', () => {
    const n = 1009;
    const bag = new EmbeddingBag('t', n, 2, new Rng(0));
    for (let row = 0; row < n; row++) bag.table.value.set([row, n - row], row * 2);
    const out = bag.forward(jaggedOf(EDGE_IDS.map((id) => [id])));
    EDGE_IDS.forEach((id, i) => expect([out[2 * i], out[2 * i + 1]]).toEqual([mod(id, n), n - mod(id, n)]));
  });
});

describe('EmbeddingBag', () => {
  const rows = [[3n, 3n, 8n], [], [-1n], [2n ** 60n, 5n, 6n, 7n, 9n]];

  test.each([
    ['sum', undefined],
    ['mean', undefined],
    ['mean', 3],
  ] as const)('%s pooling (maxLength %s): table gradient against finite differences', (pooling, maxLength) => {
    const rng = new Rng(7);
    const bag = new EmbeddingBag('t', 10, 3, rng, { pooling, maxLength });
    const ids = jaggedOf(rows);
    const probe = randomFloats(rng, ids.rows * 3);
    bag.forward(ids);
    bag.backward(probe);
    const grad = denseGrad(bag.table.parameter);
    expectFiniteDifferences('table', bag.table.value, grad, () => weightedSum(bag.forward(ids), probe), { indices: Array.from({ length: 30 }, (_, i) => i) });
    expect(Array.from(bag.forward(ids).subarray(3, 6))).toEqual([0, 0, 0]); // the empty row
  });

  test('weighted sum pooling uses the per-id weights', () => {
    const bag = new EmbeddingBag('t', 4, 1, new Rng(0));
    bag.table.value.set([1, 10, 100, 1000]);
    const ids = JaggedTensor.fromLengths({ values: idsFrom('int64', [0, 1, 2, 3]), lengths: new Int32Array([2, 2]), weights: new Float32Array([1, 0.5, 2, -1]) });
    expect(Array.from(bag.forward(ids))).toEqual([6, -800]);
    bag.backward(new Float32Array([1, 2]));
    expect(Array.from(denseGrad(bag.table.parameter))).toEqual([1, 0.5, 4, -2]);
  });

  test('sparse gradient: touched rows listed once; accumulates until touchedCount is cleared', () => {
    const bag = new EmbeddingBag('t', 10, 1, new Rng(0));
    const sparse = bag.table.parameter.sparse!;
    const ids = jaggedOf([[3n, 3n, 13n], [7n]]);
    bag.forward(ids);
    bag.backward(new Float32Array([1, 2]));
    expect(Array.from(sparse.touchedRows.subarray(0, sparse.touchedCount))).toEqual([3, 7]);
    expect(bag.table.parameter.grad[3]).toBe(3);
    bag.backward(new Float32Array([1, 2])); // no clear: adds
    expect(sparse.touchedCount).toBe(2);
    expect(bag.table.parameter.grad[3]).toBe(6);
    bag.table.zeroGrad();
    bag.forward(jaggedOf([[7n], []]));
    bag.backward(new Float32Array([5, 9]));
    expect(Array.from(sparse.touchedRows.subarray(0, sparse.touchedCount))).toEqual([7]);
    expect(Array.from(denseGrad(bag.table.parameter))).toEqual([0, 0, 0, 0, 0, 0, 0, 5, 0, 0]);
  });

  test('touched-row list grows past its initial capacity', () => {
    const bag = new EmbeddingBag('t', 1000, 1, new Rng(0));
    bag.forward(jaggedOf([Array.from({ length: 500 }, (_, i) => BigInt(i * 2))]));
    bag.backward(new Float32Array([1]));
    expect(bag.table.parameter.sparse!.touchedCount).toBe(500);
    expect(new Set(bag.table.parameter.sparse!.touchedRows.subarray(0, 500)).size).toBe(500);
  });
});
