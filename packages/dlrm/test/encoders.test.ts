import { Rng } from '@recd/core';
import { AttentionEncoder, MeanMlpEncoder, idsToRows, type FeatureEncoder } from '@recd/dlrm';
import { denseGrad, expectFiniteDifferences, jaggedOf, maxAbsDiff, randomFloats, weightedSum } from './model-helpers';

// lengths 3, 0, 6 (truncated to maxLength 4), 1, 4; ids collide in the 11-row table
const SEQUENCES = [[1n, 2n, 3n], [], [4n, -5n, 2n ** 60n, 7n, 8n, 9n], [12n], [3n, 14n, 3n, -1n]];

/** Central differences for every parameter (embedding tables: dense view of the sparse gradient). */
function checkEncoder(encoder: FeatureEncoder, rng: Rng): void {
  const ids = jaggedOf(SEQUENCES);
  const probe = randomFloats(rng, ids.rows * encoder.outFeatures);
  encoder.forward(ids);
  encoder.backward(probe);
  const loss = (): number => weightedSum(encoder.forward(ids), probe);
  for (const param of encoder.parameters()) {
    expectFiniteDifferences(param.name, param.value, denseGrad(param), loss, { maxChecks: 40 });
  }
}

/** The attention encoder's math written out naively in double precision, one sequence at a time. */
function referenceAttention(encoder: AttentionEncoder, ids: bigint[]): number[] {
  const d = encoder.dim;
  const length = Math.min(ids.length, encoder.maxLength);
  const rows = new Int32Array(length);
  idsToRows(BigInt64Array.from(ids), 0, length, encoder.table.rows, rows);
  const x = Array.from({ length }, (_, t) => Array.from({ length: d }, (_, j) => encoder.table.value[rows[t] * d + j] + encoder.position.value[t * d + j]));
  const project = (layer: AttentionEncoder['query'], v: number[]): number[] =>
    Array.from({ length: layer.outFeatures }, (_, o) => layer.bias.value[o] + v.reduce((sum, vj, j) => sum + layer.weight.value[o * layer.inFeatures + j] * vj, 0));
  const q = x.map((v) => project(encoder.query, v));
  const k = x.map((v) => project(encoder.key, v));
  const v = x.map((row) => project(encoder.value, row));
  const pooled = new Array(d).fill(0);
  for (let t = 0; t < length; t++) {
    const scores = k.map((kr) => kr.reduce((sum, kj, j) => sum + kj * q[t][j], 0) / Math.sqrt(d));
    const max = Math.max(...scores);
    const exps = scores.map((s) => Math.exp(s - max));
    const total = exps.reduce((a, b) => a + b, 0);
    for (let j = 0; j < d; j++) {
      const attended = exps.reduce((sum, e, s) => sum + (e / total) * v[s][j], 0);
      pooled[j] += (x[t][j] + attended) / length;
    }
  }
  return project(encoder.projection, pooled);
}

describe('AttentionEncoder', () => {
  test('every parameter gradient against finite differences', () => {
    const rng = new Rng(11);
    checkEncoder(new AttentionEncoder('seq', { tableSize: 11, dim: 4, maxLength: 4, outFeatures: 3 }, rng), rng);
  });

  test('forward equals the naive double-precision attention, sequence by sequence', () => {
    const rng = new Rng(12);
    const encoder = new AttentionEncoder('seq', { tableSize: 11, dim: 5, maxLength: 4 }, rng);
    // larger values than the default init so that attention is far from uniform
    for (const param of encoder.parameters()) param.value.set(randomFloats(rng, param.value.length, 0.8));
    const out = encoder.forward(jaggedOf(SEQUENCES));
    SEQUENCES.forEach((sequence, s) => {
      const expected = referenceAttention(encoder, sequence);
      expect(maxAbsDiff(out.subarray(s * 5, (s + 1) * 5), expected)).toBeLessThan(1e-5);
    });
    // an empty sequence pools to zero: the output is the projection's bias
    expect(Array.from(out.subarray(5, 10))).toEqual(Array.from(encoder.projection.bias.value));
  });

  test("a sequence's output does not depend on the other sequences of the batch (masking)", () => {
    const encoder = new AttentionEncoder('seq', { tableSize: 11, dim: 4, maxLength: 4 }, new Rng(13));
    const together = Float32Array.from(encoder.forward(jaggedOf(SEQUENCES)));
    SEQUENCES.forEach((sequence, s) => {
      const alone = encoder.forward(jaggedOf([sequence]));
      expect(Array.from(alone)).toEqual(Array.from(together.subarray(s * 4, (s + 1) * 4)));
    });
  });

  test('buffers are reused across batches of different sizes', () => {
    const encoder = new AttentionEncoder('seq', { tableSize: 11, dim: 4, maxLength: 4 }, new Rng(14));
    const big = Float32Array.from(encoder.forward(jaggedOf(SEQUENCES)));
    encoder.forward(jaggedOf(SEQUENCES.slice(0, 2)));
    expect(Array.from(encoder.forward(jaggedOf(SEQUENCES)))).toEqual(Array.from(big));
  });
});

describe('MeanMlpEncoder', () => {
  test('every parameter gradient against finite differences', () => {
    const rng = new Rng(15);
    const encoder = new MeanMlpEncoder('seq', { tableSize: 11, dim: 4, maxLength: 4, mlp: [5, 3] }, rng);
    expect(encoder.outFeatures).toBe(3);
    checkEncoder(encoder, rng);
  });

  test('is the MLP of the mean of the first maxLength embeddings', () => {
    const encoder = new MeanMlpEncoder('seq', { tableSize: 11, dim: 2, maxLength: 2, mlp: [2] }, new Rng(0));
    encoder.bag.table.value.set(Array.from({ length: 22 }, (_, i) => i));
    const linear = encoder.mlp.layers[0] as unknown as { weight: { value: Float32Array }; bias: { value: Float32Array } };
    linear.weight.value.set([1, 0, 0, 1]);
    linear.bias.value.set([0, 0]);
    // rows 1, 2 (the third id is past maxLength): mean of (2, 3) and (4, 5)
    expect(Array.from(encoder.forward(jaggedOf([[1n, 2n, 3n], []])))).toEqual([3, 4, 0, 0]);
  });
});
