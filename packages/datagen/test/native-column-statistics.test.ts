import { columnStatistics } from '../src/encode/native/column-statistics';
import type { SampleColumn } from '../src/dataset/sample-chunk';

/** min_value / max_value (fields 6 / 5) of an int64 column, read back as bigints. */
function range(values: bigint[]): { min: bigint; max: bigint } {
  const column: SampleColumn = { name: 'x', type: 'int64', values: BigInt64Array.from(values) };
  const fields = columnStatistics(column, values.length)!;
  const read = (id: number): bigint => new BigInt64Array((fields.find((f) => f.id === id)!.value as Uint8Array).slice().buffer)[0];
  return { min: read(6), max: read(5) };
}

function naive(values: bigint[]): { min: bigint; max: bigint } {
  return { min: values.reduce((a, b) => (b < a ? b : a)), max: values.reduce((a, b) => (b > a ? b : a)) };
}

test('int64 min/max are exact on both sides of 2^53, where doubles stop telling neighbours apart', () => {
  const cases: bigint[][] = [
    [2n ** 53n, 2n ** 53n + 1n, 5n],
    [-(2n ** 53n) - 1n, -(2n ** 53n), 0n],
    [2n ** 53n - 1n, 2n ** 53n - 2n, -(2n ** 53n) + 1n],
    [-(2n ** 63n), 2n ** 63n - 1n, 0n],
    [2n ** 63n - 1n, 2n ** 63n - 2n],
    [7n],
  ];
  let seed = 12345;
  const next = (): bigint => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return BigInt(seed);
  };
  for (let k = 0; k < 50; k++) {
    const base = k % 2 === 0 ? 2n ** 53n - 8n : -(2n ** 62n);
    cases.push(Array.from({ length: 1 + (k % 9) }, () => base + (next() % 17n)));
  }
  for (const values of cases) expect(range(values)).toEqual(naive(values));
});

test('float32 min/max leave NaN out and write a zero minimum as -0 and a zero maximum as +0', () => {
  const column: SampleColumn = { name: 'f', type: 'float32', values: Float32Array.from([0, NaN, 0, -0]) };
  const fields = columnStatistics(column, 4)!;
  const read = (id: number): number => new Float32Array((fields.find((f) => f.id === id)!.value as Uint8Array).slice().buffer)[0];
  expect(Object.is(read(6), -0)).toBe(true);
  expect(Object.is(read(5), 0)).toBe(true);
});
