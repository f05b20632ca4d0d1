import fc from 'fast-check';
import { Rng } from '@recd/core';
import { gemm, gemmNaive, matmul, matmulTransA, matmulTransB } from '@recd/dlrm';
import { maxAbs, maxAbsDiff, randomFloats } from './model-helpers';

function expectGemmMatchesNaive(transA: boolean, transB: boolean, m: number, n: number, k: number, accumulate: boolean, seed: number): void {
  const rng = new Rng(seed);
  const a = randomFloats(rng, m * k);
  const b = randomFloats(rng, k * n);
  const c = randomFloats(rng, m * n);
  const expected = Float32Array.from(c);
  gemm(transA, transB, m, n, k, a, b, c, accumulate);
  gemmNaive(transA, transB, m, n, k, a, b, expected, accumulate);
  // blocked sums round to float32 once per block of 256 terms; the naive twin once in all
  expect(maxAbsDiff(c, expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, k) * Math.max(1, maxAbs(expected)));
}

describe('gemm (blocked) against gemmNaive', () => {
  test('random shapes, all four layouts, with and without accumulate', () => {
    fc.assert(
      fc.property(
        fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.boolean(), fc.nat(),
        (transA, transB, m, n, k, accumulate, seed) => expectGemmMatchesNaive(transA, transB, m, n, k, accumulate, seed),
      ),
      { numRuns: 150 },
    );
  });

  test.each([
    // each crosses a block size: rows (96), columns (256), terms of the sum (256)
    [98, 6, 7],
    [5, 262, 7],
    [6, 5, 515],
    [97, 9, 259],
    [3, 260, 1],
  ])('shape m=%i n=%i k=%i in every layout', (m, n, k) => {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) expectGemmMatchesNaive(transA, transB, m, n, k, transA !== transB, m + n + k);
    }
  });

  test('k = 0 gives zeros, or leaves C when accumulating', () => {
    const c = new Float32Array([1, 2, 3, 4]);
    gemm(false, false, 2, 2, 0, new Float32Array(0), new Float32Array(0), c, true);
    expect(Array.from(c)).toEqual([1, 2, 3, 4]);
    gemm(false, false, 2, 2, 0, new Float32Array(0), new Float32Array(0), c);
    expect(Array.from(c)).toEqual([0, 0, 0, 0]);
  });

  test('named variants: A B, A B^T, A^T B on a worked example', () => {
    const a = new Float32Array([1, 2, 3, 4, 5, 6]); // [2 x 3]
    const b = new Float32Array([1, 0, 0, 1, 1, 1]); // [3 x 2]
    const c = new Float32Array(4);
    matmul(2, 2, 3, a, b, c);
    expect(Array.from(c)).toEqual([4, 5, 10, 11]);
    matmulTransB(2, 2, 3, a, a, c); // A A^T
    expect(Array.from(c)).toEqual([14, 32, 32, 77]);
    const gram = new Float32Array(9);
    matmulTransA(3, 3, 2, a, a, gram); // A^T A
    expect(Array.from(gram)).toEqual([17, 22, 27, 22, 29, 36, 27, 36, 45]);
  });

  test('reads only the leading entries of longer (reused) buffers', () => {
    const a = new Float32Array([1, 2, 99, 99]);
    const b = new Float32Array([3, 4, 99]);
    const c = new Float32Array([0, 7]);
    matmul(1, 1, 2, a, b, c);
    expect(Array.from(c)).toEqual([11, 7]);
  });
});
