import { makeSessionBatch, dedup, Rng, KeyedJaggedTensor, InverseKeyedJaggedTensor } from '@recd/core';
import { Dlrm, type DlrmConfig, type TrainingBatch } from '@recd/dlrm';
import { denseGrad, makeSessionData, maxAbs, maxAbsDiff, randomFloats, type SessionData } from './model-helpers';

/** Loss and gradients of one fresh model per batch form (same seed, so the same parameters). */
function lossAndGrads(config: DlrmConfig, batch: TrainingBatch): { loss: number; logits: Float32Array; grads: Map<string, Float64Array>; touched: Map<string, number[]>; model: Dlrm } {
  const model = new Dlrm(config);
  const loss = model.lossAndBackward(batch);
  const logits = Float32Array.from(model.forward(batch));
  const grads = new Map(model.parameters().map((p) => [p.name, denseGrad(p)]));
  const touched = new Map(
    model.parameters().filter((p) => p.sparse).map((p) => [p.name, Array.from(p.sparse!.touchedRows.subarray(0, p.sparse!.touchedCount)).sort((a, b) => a - b)]),
  );
  return { loss, logits, grads, touched, model };
}

/**
 * The attention key bias has a zero gradient in exact arithmetic (softmax ignores a shift shared
 * by a row's scores), so its float value is rounding noise: it is only checked to be tiny.
 */
const ZERO_IN_EXACT_ARITHMETIC = /\.key\.bias$/;

/** Loss, logits and every gradient equal within `tolerance` of the reference's largest entry. */
function expectSameResult(reference: ReturnType<typeof lossAndGrads>, other: ReturnType<typeof lossAndGrads>, tolerance = 1e-5): void {
  expect(Math.abs(other.loss - reference.loss)).toBeLessThanOrEqual(tolerance * Math.abs(reference.loss));
  expect(maxAbsDiff(other.logits, reference.logits)).toBeLessThanOrEqual(tolerance * maxAbs(reference.logits));
  const largest = Math.max(...[...reference.grads.values()].map(maxAbs));
  for (const [name, grad] of reference.grads) {
    if (ZERO_IN_EXACT_ARITHMETIC.test(name)) {
      expect(Math.max(maxAbs(grad), maxAbs(other.grads.get(name)!))).toBeLessThanOrEqual(1e-6 * largest);
      continue;
    }
    const diff = maxAbsDiff(other.grads.get(name)!, grad);
    if (!(diff <= tolerance * maxAbs(grad))) throw new Error(`${name}: gradients differ by ${diff}, more than ${tolerance} x ${maxAbs(grad)}`);
  }
  expect(other.touched).toEqual(reference.touched);
}

function configFor(data: SessionData, encoder: 'attention' | 'mean-mlp', seed: number): DlrmConfig {
  const sequenceKeys = new Set(data.sequenceKeys);
  return {
    dense: 4,
    sparse: [...data.sampleKeys, ...data.sessionKeys.filter((key) => !sequenceKeys.has(key))].map((name, f) => ({
      name,
      tableSize: 50 + f,
      pooling: f % 2 === 0 ? ('sum' as const) : ('mean' as const),
    })),
    sequence: data.sequenceKeys.map((name, f) => ({ name, tableSize: 70 + f, maxLength: 6, encoder })),
    embeddingDim: 8,
    bottomMlp: [16, 8],
    topMlp: [16, 8, 1],
    seed,
  };
}

function batches(data: SessionData): { kjt: TrainingBatch; ikjt: TrainingBatch; single: TrainingBatch } {
  const common = { size: data.size, labels: data.labels, dense: data.dense };
  return {
    kjt: { ...common, sparse: data.sampleKjt, sessionSparse: data.sessionKjt },
    ikjt: { ...common, sparse: data.sampleKjt, sessionSparse: dedup(data.sessionKjt, [data.sessionKeys]) },
    single: { ...common, sparse: KeyedJaggedTensor.concat([data.sampleKjt, data.sessionKjt]) },
  };
}

describe('IKJT path equals the KJT path (the expanded batch)', () => {
  test.each([
    ['attention', 1],
    ['attention', 2],
    ['mean-mlp', 3],
  ] as const)('%s encoders, random session batch (seed %i): loss and every gradient within 1e-5', (encoder, seed) => {
    const data = makeSessionData({ size: 48, seed, dense: 4, maxPerSession: 8, maxLength: 6, idRange: 200 });
    const config = configFor(data, encoder, seed);
    const { kjt, ikjt, single } = batches(data);
    const reference = lossAndGrads(config, kjt);
    expectSameResult(reference, lossAndGrads(config, ikjt));
    expectSameResult(reference, lossAndGrads(config, single));
  });

  test('several dedup groups, passthrough keys, and an empty batch', () => {
    const data = makeSessionData({ size: 30, seed: 8, dense: 4, maxPerSession: 5 });
    const config = configFor(data, 'attention', 8);
    const { kjt } = batches(data);
    const reference = lossAndGrads(config, kjt);
    const twoGroups = dedup(data.sessionKjt, [['history_a'], ['user', 'history_b']]); // user_segment passes through
    expectSameResult(reference, lossAndGrads(config, { ...kjt, sessionSparse: twoGroups }));
    const empty = makeSessionData({ size: 0, seed: 9, dense: 4 });
    const model = new Dlrm(configFor(data, 'attention', 8));
    expect(model.lossAndBackward(batches(empty).ikjt)).toBe(0);
    expect(model.parameters().every((p) => p.sparse ? p.sparse.touchedCount === 0 : p.grad.every((g) => g === 0))).toBe(true);
  });

  test('session encoders run on the unique rows only', () => {
    const data = makeSessionData({ size: 40, seed: 4, dense: 4, maxPerSession: 8 });
    const { ikjt } = batches(data);
    const uniqueRows = (ikjt.sessionSparse as InverseKeyedJaggedTensor).groups[0].unique.stride;
    expect(uniqueRows).toBeLessThan(data.size / 2);
    const model = new Dlrm(configFor(data, 'attention', 4));
    const rowsSeen = new Map<string, number>();
    model.encoders.forEach((encoder, f) => {
      const forward = encoder.forward.bind(encoder);
      encoder.forward = (ids) => (rowsSeen.set(model.featureNames[f], ids.rows), forward(ids));
    });
    model.lossAndBackward(ikjt);
    for (const key of data.sessionKeys) expect(rowsSeen.get(key)).toBe(uniqueRows);
    for (const key of data.sampleKeys) expect(rowsSeen.get(key)).toBe(data.size);
  });

  test('makeSessionBatch data (fixed-length histories, 8 samples per session), after a few SGD steps', () => {
    const { kjt, sessionKeys, sampleKeys } = makeSessionBatch({ batchSize: 64, samplesPerSession: 8, sessionIdFeatures: 2, sessionSequenceFeatures: 2, sequenceLength: 10, sampleIdFeatures: 2, seed: 5 });
    const sequenceKeys = sessionKeys.filter((key) => key.startsWith('user_history'));
    const config: DlrmConfig = {
      dense: 2,
      sparse: [...sampleKeys, ...sessionKeys.filter((key) => !sequenceKeys.includes(key))].map((name) => ({ name, tableSize: 97 })),
      sequence: sequenceKeys.map((name) => ({ name, tableSize: 101, maxLength: 10, encoder: 'attention' as const })),
      embeddingDim: 8,
      bottomMlp: [8],
      topMlp: [8, 1],
      seed: 6,
    };
    const rng = new Rng(7);
    const common = { size: 64, labels: Float32Array.from({ length: 64 }, () => rng.nextInt(2)), dense: randomFloats(rng, 128) };
    const sessionKjt = kjt.permute(sessionKeys);
    const kjtBatch = { ...common, sparse: kjt.permute(sampleKeys), sessionSparse: sessionKjt };
    const ikjtBatch = { ...common, sparse: kjt.permute(sampleKeys), sessionSparse: dedup(sessionKjt, [sessionKeys]) };
    const a = new Dlrm(config);
    const b = new Dlrm(config);
    for (let step = 0; step < 3; step++) {
      const lossA = a.lossAndBackward(kjtBatch);
      const lossB = b.lossAndBackward(ikjtBatch);
      expect(Math.abs(lossA - lossB)).toBeLessThanOrEqual(1e-5 * lossA);
      a.parameters().forEach((p, i) => {
        const q = b.parameters()[i];
        const gradA = denseGrad(p);
        if (!ZERO_IN_EXACT_ARITHMETIC.test(p.name)) expect(maxAbsDiff(denseGrad(q), gradA)).toBeLessThanOrEqual(1e-5 * maxAbs(gradA));
        sgdStep(p, 0.5);
        sgdStep(q, 0.5);
      });
    }
  });
});

function sgdStep(param: ReturnType<Dlrm['parameters']>[number], lr: number): void {
  const grad = denseGrad(param);
  for (let i = 0; i < grad.length; i++) param.value[i] -= lr * grad[i];
}
