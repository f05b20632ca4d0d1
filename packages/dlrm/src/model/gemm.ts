/**
 * Single-precision matrix multiply on row-major Float32Arrays, the hot path of the model:
 *
 *     C[m x n] = op(A)[m x k] · op(B)[k x n]          (accumulate = false)
 *     C[m x n] = C + op(A) · op(B)                     (accumulate = true)
 *
 * where op(A) is A ([m x k]) or A^T (A stored [k x m]), and op(B) is B ([k x n]) or B^T (B stored
 * [n x k]). `gemm` runs on the current backend (backend.ts): `gemmWasm` (WebAssembly SIMD, 4x8
 * register tiles summed in float32) or `gemmTs` (TypeScript, 4x4 tiles summed in double).
 * `gemmNaive` is the test twin of both.
 */
import { gemmBackend } from './backend';
import { gemmTs } from './gemm-ts';
import { gemmWasm } from '../wasm/gemm-wasm';

/**
 * C = op(A) op(B), or C += op(A) op(B) when `accumulate`. Arrays may be longer than needed (views
 * of reused buffers); only the leading `m*k`, `k*n` and `m*n` entries are read or written.
 */
export function gemm(
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
  if (gemmBackend() === 'wasm') gemmWasm(transA, transB, m, n, k, a, b, c, accumulate);
  else gemmTs(transA, transB, m, n, k, a, b, c, accumulate);
}

/** C = A B (A is [m x k], B is [k x n]). */
export function matmul(m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array, accumulate = false): void {
  gemm(false, false, m, n, k, a, b, c, accumulate);
}

/** C = A B^T (A is [m x k], B is [n x k]): a linear layer's forward, attention scores. */
export function matmulTransB(m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array, accumulate = false): void {
  gemm(false, true, m, n, k, a, b, c, accumulate);
}

/** C = A^T B (A is [k x m], B is [k x n]): weight gradients. */
export function matmulTransA(m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array, accumulate = false): void {
  gemm(true, false, m, n, k, a, b, c, accumulate);
}
