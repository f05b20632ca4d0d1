/**
 * The naive twin of `gemm`: C = op(A) op(B) (+ C) by the textbook triple loop, each entry summed in
 * double precision over all k terms. For tests only: the blocked `gemm` is checked against it.
 */
export function gemmNaive(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  accumulate = false,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = accumulate ? c[i * n + j] : 0;
      for (let p = 0; p < k; p++) {
        const x = transA ? a[p * m + i] : a[i * k + p];
        const y = transB ? b[j * k + p] : b[p * n + j];
        sum += x * y;
      }
      c[i * n + j] = sum;
    }
  }
}
