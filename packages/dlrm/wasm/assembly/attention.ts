/**
 * Self-attention pooled by the mean over the sequence, forward and backward for a batch of
 * sequences in one call (the math is in src/model/attention-pooled.ts; this is its SIMD twin).
 * Sequence s has tokens tokenStart[s] .. tokenStart[s+1] (L of them) and an L x L block of
 * probabilities at probStart[s]. Per sequence, with Qt = queries [L x d], X = x [L x d]:
 *
 *   forward:   P = softmax_rows(Qt X^T / sqrt(d))      w = colsum(P) / L
 *              attended = X^T w                          mean = colsum(X) / L
 *   backward:  u = X gradAttended / L                   dS = P o (u^T - (P u) 1^T) / sqrt(d)
 *              gradQueries = dS X                        gradX = dS^T Qt + w gradAttended^T + 1 gradMean^T / L
 */
import { gemm } from './gemm';
import { axpy, dot, expScalar, expVector } from './vector';

export function attentionScores(
  sequences: i32, dim: i32, tokenStart: usize, probStart: usize,
  queries: usize, x: usize, probs: usize, weights: usize, attended: usize, mean: usize, pack: usize,
): void {
  const rowBytes = <usize>dim * 4;
  const scale = <f32>(1 / Math.sqrt(<f64>dim));
  for (let s = 0; s < sequences; s++) {
    const first = load<i32>(tokenStart + <usize>s * 4);
    const length = load<i32>(tokenStart + <usize>(s + 1) * 4) - first;
    const att = attended + <usize>s * rowBytes;
    const mn = mean + <usize>s * rowBytes;
    memory.fill(att, 0, rowBytes);
    memory.fill(mn, 0, rowBytes);
    if (length <= 0) continue;
    const q = queries + <usize>first * rowBytes;
    const xs = x + <usize>first * rowBytes;
    const p = probs + <usize>load<i32>(probStart + <usize>s * 4) * 4;
    const w = weights + <usize>first * 4;
    const lineBytes = <usize>length * 4;
    gemm(false, true, length, length, dim, q, xs, p, false, pack);
    const inverseLength = <f32>1 / <f32>length;
    memory.fill(w, 0, lineBytes);
    for (let t = 0; t < length; t++) {
      const row = p + <usize>t * lineBytes;
      softmaxRow(length, row, scale);
      axpy(length, inverseLength, row, w);
    }
    for (let t = 0; t < length; t++) {
      const xt = xs + <usize>t * rowBytes;
      axpy(dim, load<f32>(w + <usize>t * 4), xt, att);
      axpy(dim, inverseLength, xt, mn);
    }
  }
}

/** `scratch` holds at least maxL * maxL + maxL floats. gradQueries and gradX are overwritten. */
export function attentionScoresBackward(
  sequences: i32, dim: i32, tokenStart: usize, probStart: usize,
  queries: usize, x: usize, probs: usize, weights: usize, gradAttended: usize, gradMean: usize,
  gradQueries: usize, gradX: usize, scratch: usize, pack: usize,
): void {
  const rowBytes = <usize>dim * 4;
  const scale = <f32>(1 / Math.sqrt(<f64>dim));
  for (let s = 0; s < sequences; s++) {
    const first = load<i32>(tokenStart + <usize>s * 4);
    const length = load<i32>(tokenStart + <usize>(s + 1) * 4) - first;
    if (length <= 0) continue;
    const lineBytes = <usize>length * 4;
    const q = queries + <usize>first * rowBytes;
    const xs = x + <usize>first * rowBytes;
    const p = probs + <usize>load<i32>(probStart + <usize>s * 4) * 4;
    const w = weights + <usize>first * 4;
    const da = gradAttended + <usize>s * rowBytes;
    const gm = gradMean + <usize>s * rowBytes;
    const gradScores = scratch;
    const u = scratch + <usize>length * lineBytes;
    const inverseLength = <f32>1 / <f32>length;
    for (let t = 0; t < length; t++) store<f32>(u + <usize>t * 4, dot(dim, xs + <usize>t * rowBytes, da) * inverseLength);
    for (let t = 0; t < length; t++) {
      const row = p + <usize>t * lineBytes;
      const out = gradScores + <usize>t * lineBytes;
      const c = dot(length, row, u);
      const cv = f32x4.splat(c);
      const sv = f32x4.splat(scale);
      let j = 0;
      for (; j + 4 <= length; j += 4) {
        const at = <usize>j * 4;
        v128.store(out + at, f32x4.mul(f32x4.mul(v128.load(row + at), f32x4.sub(v128.load(u + at), cv)), sv));
      }
      for (; j < length; j++) {
        const at = <usize>j * 4;
        store<f32>(out + at, load<f32>(row + at) * (load<f32>(u + at) - c) * scale);
      }
    }
    const gq = gradQueries + <usize>first * rowBytes;
    const gx = gradX + <usize>first * rowBytes;
    gemm(false, false, length, dim, length, gradScores, xs, gq, false, pack);
    gemm(true, false, length, dim, length, gradScores, q, gx, false, pack);
    for (let t = 0; t < length; t++) {
      const gxt = gx + <usize>t * rowBytes;
      axpy(dim, load<f32>(w + <usize>t * 4), da, gxt);
      axpy(dim, inverseLength, gm, gxt);
    }
  }
}

/** row = softmax(scale * row), in place. */
function softmaxRow(length: i32, row: usize, scale: f32): void {
  let maxVector = f32x4.splat(-Infinity);
  let j = 0;
  for (; j + 4 <= length; j += 4) maxVector = f32x4.max(maxVector, v128.load(row + <usize>j * 4));
  let largest = max(max(f32x4.extract_lane(maxVector, 0), f32x4.extract_lane(maxVector, 1)), max(f32x4.extract_lane(maxVector, 2), f32x4.extract_lane(maxVector, 3)));
  for (; j < length; j++) largest = max(largest, load<f32>(row + <usize>j * 4));
  const shift = f32x4.splat(largest * scale);
  const sv = f32x4.splat(scale);
  let sumVector = f32x4.splat(0);
  j = 0;
  for (; j + 4 <= length; j += 4) {
    const at = row + <usize>j * 4;
    const e = expVector(f32x4.sub(f32x4.mul(v128.load(at), sv), shift));
    v128.store(at, e);
    sumVector = f32x4.add(sumVector, e);
  }
  let total = f32x4.extract_lane(sumVector, 0) + f32x4.extract_lane(sumVector, 1) + f32x4.extract_lane(sumVector, 2) + f32x4.extract_lane(sumVector, 3);
  for (; j < length; j++) {
    const at = row + <usize>j * 4;
    const e = expScalar(load<f32>(at) * scale - largest * scale);
    store<f32>(at, e);
    total += e;
  }
  const inverse = <f32>1 / total;
  const iv = f32x4.splat(inverse);
  j = 0;
  for (; j + 4 <= length; j += 4) {
    const at = row + <usize>j * 4;
    v128.store(at, f32x4.mul(v128.load(at), iv));
  }
  for (; j < length; j++) {
    const at = row + <usize>j * 4;
    store<f32>(at, load<f32>(at) * inverse);
  }
}
