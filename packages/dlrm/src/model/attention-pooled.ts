/**
 * Self-attention followed by the mean over the sequence, computed without ever forming the
 * attention output O = P V. For one sequence of L tokens X [L x d], projections q = Wq x + bq,
 * k = Wk x + bk, v = Wv x + bv, P = softmax_rows(Q K^T / sqrt(d)):
 *
 *     mean_t (x_t + o_t) = mean(X) + (1/L) 1^T P V = mean(X) + Wv (X^T w) + bv,   w = P^T 1 / L
 *
 * (the rows of P sum to 1, so the weights w sum to 1 and the bias passes through). And because
 * softmax ignores a shift that is the same along a row, only the part of q_t . k_s that varies with
 * s matters: q_t . k_s = (Wk^T q_t) . x_s + (terms of t alone), so with Qt = X (Wk^T Wq)^T + 1 (Wk^T bq)^T,
 *
 *     P = softmax_rows(Qt X^T / sqrt(d))        (exactly the same P; bk drops out, its gradient is 0)
 *
 * This module computes, per sequence, P, w, attended = X^T w and mean = colsum(X) / L (forward),
 * and, given gradAttended (= Wv^T dpooled) and gradMean (= dpooled), the gradients of Qt and X
 * (backward): every token gets the same upstream gradient through the mean, so
 *
 *     dw_s = x_s . gradAttended     dP_ts = dw_s / L = u_s     (the same for every row t)
 *     dS = P o (1 u^T - (P u) 1^T) / sqrt(d)
 *     dQt = dS X          dX = dS^T Qt + w gradAttended^T + 1 gradMean^T / L
 *
 * which costs three L x L x d products per sequence instead of the six of attention followed by a
 * mean. Sequence s has tokens tokenStart[s] .. tokenStart[s+1] and its L x L probabilities at
 * probStart[s]; an empty sequence has attended = mean = 0. This is the TypeScript kernel;
 * src/wasm/attention-wasm.ts runs the SIMD twin (wasm/assembly/attention.ts).
 */
import { gemmTs } from './gemm-ts';

export function attentionPooledForwardTs(
  sequences: number,
  dim: number,
  tokenStart: Int32Array,
  probStart: Int32Array,
  queries: Float32Array,
  x: Float32Array,
  probs: Float32Array,
  weights: Float32Array,
  attended: Float32Array,
  mean: Float32Array,
): void {
  const scale = 1 / Math.sqrt(dim);
  attended.fill(0, 0, sequences * dim);
  mean.fill(0, 0, sequences * dim);
  for (let s = 0; s < sequences; s++) {
    const first = tokenStart[s];
    const length = tokenStart[s + 1] - first;
    if (length === 0) continue;
    const from = first * dim;
    const to = from + length * dim;
    const p = probs.subarray(probStart[s], probStart[s] + length * length);
    gemmTs(false, true, length, length, dim, queries.subarray(from, to), x.subarray(from, to), p);
    const inverseLength = 1 / length;
    weights.fill(0, first, first + length);
    for (let t = 0; t < length; t++) {
      const row = t * length;
      let max = -Infinity;
      for (let j = 0; j < length; j++) max = Math.max(max, p[row + j]);
      let total = 0;
      for (let j = 0; j < length; j++) {
        const e = Math.exp((p[row + j] - max) * scale);
        p[row + j] = e;
        total += e;
      }
      const inverse = 1 / total;
      for (let j = 0; j < length; j++) {
        p[row + j] *= inverse;
        weights[first + j] += p[row + j] * inverseLength;
      }
    }
    const out = s * dim;
    for (let t = 0; t < length; t++) {
      const w = weights[first + t];
      const at = from + t * dim;
      for (let j = 0; j < dim; j++) {
        attended[out + j] += w * x[at + j];
        mean[out + j] += x[at + j] * inverseLength;
      }
    }
  }
}

/** Overwrites gradQueries and gradX; `scratch` holds at least maxL * maxL + maxL floats. */
export function attentionPooledBackwardTs(
  sequences: number,
  dim: number,
  tokenStart: Int32Array,
  probStart: Int32Array,
  queries: Float32Array,
  x: Float32Array,
  probs: Float32Array,
  weights: Float32Array,
  gradAttended: Float32Array,
  gradMean: Float32Array,
  gradQueries: Float32Array,
  gradX: Float32Array,
  scratch: Float32Array,
): void {
  const scale = 1 / Math.sqrt(dim);
  for (let s = 0; s < sequences; s++) {
    const first = tokenStart[s];
    const length = tokenStart[s + 1] - first;
    if (length === 0) continue;
    const from = first * dim;
    const to = from + length * dim;
    const p = probStart[s];
    const gradScores = scratch.subarray(0, length * length);
    const u = scratch.subarray(length * length, length * length + length);
    const inverseLength = 1 / length;
    const da = s * dim;
    for (let t = 0; t < length; t++) {
      let dot = 0;
      for (let j = 0, at = from + t * dim; j < dim; j++) dot += x[at + j] * gradAttended[da + j];
      u[t] = dot * inverseLength;
    }
    for (let t = 0; t < length; t++) {
      const row = p + t * length;
      let c = 0;
      for (let j = 0; j < length; j++) c += probs[row + j] * u[j];
      for (let j = 0; j < length; j++) gradScores[t * length + j] = probs[row + j] * (u[j] - c) * scale;
    }
    const xs = x.subarray(from, to);
    gemmTs(false, false, length, dim, length, gradScores, xs, gradQueries.subarray(from, to));
    gemmTs(true, false, length, dim, length, gradScores, queries.subarray(from, to), gradX.subarray(from, to));
    for (let t = 0; t < length; t++) {
      const w = weights[first + t];
      for (let j = 0, at = from + t * dim; j < dim; j++) gradX[at + j] += w * gradAttended[da + j] + gradMean[da + j] * inverseLength;
    }
  }
}
