/**
 * Single-head scaled dot-product attention over one sequence of L tokens, dimension d
 * (Q, K, V, O are [L x d], P is [L x L], all row-major):
 *
 *     S = Q K^T / sqrt(d)        P = softmax over each row of S        O = P V
 *
 *     backward, given dO:
 *     dV = P^T dO                dP = dO V^T
 *     dS_ij = P_ij (dP_ij - sum_k P_ik dP_ik) / sqrt(d)
 *     dQ = dS K                  dK = dS^T Q
 *
 * Only the sequence's own L tokens take part, which is exactly a padded batch masked to each
 * sequence's real length. The products go through `gemm`.
 *
 * The encoder no longer runs this general form: its output is pooled by a mean, which needs only
 * P's column sums (attention-pooled.ts). It stays as the unfused reference the tests check the
 * encoder against.
 */
import { matmul, matmulTransA, matmulTransB } from './gemm';

/** Writes the attention probabilities into `probs` and the output into `out`. */
export function attentionForward(
  length: number,
  dim: number,
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  probs: Float32Array,
  out: Float32Array,
): void {
  matmulTransB(length, length, dim, q, k, probs);
  const scale = 1 / Math.sqrt(dim);
  for (let i = 0; i < length; i++) {
    const row = i * length;
    let max = -Infinity;
    for (let j = 0; j < length; j++) max = Math.max(max, probs[row + j] * scale);
    let total = 0;
    for (let j = 0; j < length; j++) {
      const e = Math.exp(probs[row + j] * scale - max);
      probs[row + j] = e;
      total += e;
    }
    const inverse = 1 / total;
    for (let j = 0; j < length; j++) probs[row + j] *= inverse;
  }
  matmul(length, dim, length, probs, v, out);
}

/** Writes dQ, dK and dV (overwriting them); `scratch` holds at least L x L floats. */
export function attentionBackward(
  length: number,
  dim: number,
  q: Float32Array,
  k: Float32Array,
  v: Float32Array,
  probs: Float32Array,
  gradOut: Float32Array,
  gradQ: Float32Array,
  gradK: Float32Array,
  gradV: Float32Array,
  scratch: Float32Array,
): void {
  matmulTransA(length, dim, length, probs, gradOut, gradV);
  const gradScores = scratch;
  matmulTransB(length, length, dim, gradOut, v, gradScores);
  const scale = 1 / Math.sqrt(dim);
  for (let i = 0; i < length; i++) {
    const row = i * length;
    let dot = 0;
    for (let j = 0; j < length; j++) dot += probs[row + j] * gradScores[row + j];
    for (let j = 0; j < length; j++) gradScores[row + j] = probs[row + j] * (gradScores[row + j] - dot) * scale;
  }
  matmul(length, dim, length, gradScores, k, gradQ);
  matmulTransA(length, dim, length, gradScores, q, gradK);
}
