import { KeyedJaggedTensor, Rng, dedup, type FeatureSchema } from '@recd/core';
import { BatchError, Dlrm, DlrmConfigError, dlrmConfigFromSchema, type DlrmConfig, type TrainingBatch } from '@recd/dlrm';
import { denseGrad, expectFiniteDifferences, makeSessionData, randomFloats } from './model-helpers';

function tinyConfig(encoder: 'attention' | 'mean-mlp'): DlrmConfig {
  return {
    dense: 3,
    sparse: [
      { name: 'item', tableSize: 13, pooling: 'sum' },
      { name: 'user_segment', tableSize: 5, pooling: 'mean' },
    ],
    sequence: [{ name: 'history_a', tableSize: 17, maxLength: 4, encoder }],
    embeddingDim: 4,
    bottomMlp: [5, 4],
    topMlp: [6, 1],
    seed: 3,
  };
}

function batchOf(data: ReturnType<typeof makeSessionData>, session: 'kjt' | 'ikjt' | 'none'): TrainingBatch {
  const common = { size: data.size, labels: data.labels, dense: data.dense };
  if (session === 'none') return { ...common, sparse: KeyedJaggedTensor.concat([data.sampleKjt, data.sessionKjt]) };
  const sessionSparse = session === 'ikjt' ? dedup(data.sessionKjt, [data.sessionKeys]) : data.sessionKjt;
  return { ...common, sparse: data.sampleKjt, sessionSparse };
}

describe('Dlrm', () => {
  test.each(['attention', 'mean-mlp'] as const)('gradients of the whole model (%s) against finite differences, on an IKJT batch', (encoder) => {
    const model = new Dlrm(tinyConfig(encoder));
    // values larger than the initialisation's, so every gradient stands well above float32 noise
    const rng = new Rng(5);
    for (const param of model.parameters()) param.value.set(randomFloats(rng, param.value.length, 0.5));
    const batch = batchOf(makeSessionData({ size: 9, seed: 21, dense: 3, idRange: 40 }), 'ikjt');
    model.lossAndBackward(batch);
    for (const param of model.parameters()) {
      expectFiniteDifferences(param.name, param.value, denseGrad(param), () => model.loss(batch), { maxChecks: 12, eps: 3e-3, rtol: 2e-2, atol: 2e-3 });
    }
  });

  test('parameters are named, and the layout follows the config', () => {
    const model = new Dlrm(tinyConfig('attention'));
    const names = model.parameters().map((p) => p.name);
    expect(names.slice(0, 4)).toEqual(['bottom.0.weight', 'bottom.0.bias', 'bottom.1.weight', 'bottom.1.bias']);
    expect(names).toContain('sparse.item');
    expect(names).toContain('sequence.history_a.table');
    expect(names).toContain('sequence.history_a.position');
    expect(names).toContain('sequence.history_a.query.weight');
    expect(names.slice(-2)).toEqual(['top.1.weight', 'top.1.bias']);
    // 4 vectors (bottom + 3 features): 4 + 6 interaction outputs into the top MLP
    expect(model.parameters().find((p) => p.name === 'top.0.weight')!.shape).toEqual([6, 10]);
    expect(model.parameters().filter((p) => p.sparse).map((p) => p.name)).toEqual(['sparse.item', 'sparse.user_segment', 'sequence.history_a.table']);
  });

  test('same seed, same parameters; forward gives one logit per sample', () => {
    const a = new Dlrm(tinyConfig('attention'));
    const b = new Dlrm(tinyConfig('attention'));
    a.parameters().forEach((p, i) => expect(p.value).toEqual(b.parameters()[i].value));
    const batch = batchOf(makeSessionData({ size: 5, seed: 1, dense: 3 }), 'kjt');
    expect(a.forward(batch).length).toBe(5);
  });

  test('config errors name the field, the expectation and what was found', () => {
    const bad = (patch: Partial<DlrmConfig>): (() => Dlrm) => () => new Dlrm({ ...tinyConfig('attention'), ...patch });
    expect(bad({ bottomMlp: [5, 3] })).toThrow(new DlrmConfigError('bottomMlp: expected the last width to be 4 (embeddingDim), got [5, 3]'));
    expect(bad({ topMlp: [6, 2] })).toThrow(/topMlp: expected the last width to be 1/);
    expect(bad({ dense: 0 })).toThrow(/dense: expected a positive integer, got 0/);
    expect(bad({ sparse: [{ name: 'a', tableSize: 3, dim: 8 }] })).toThrow(/sparse\[0\]\.dim: expected embeddingDim \(4\).*got 8/);
    expect(bad({ sparse: [{ name: 'history_a', tableSize: 3 }] })).toThrow(/feature "history_a" appears more than once/);
    expect(bad({ sequence: [{ name: 's', tableSize: 3, maxLength: 0 }] })).toThrow(/sequence\[0\]\.maxLength/);
  });

  test('batch errors: missing feature, wrong sizes, inverse out of range', () => {
    const model = new Dlrm(tinyConfig('attention'));
    const data = makeSessionData({ size: 4, seed: 2, dense: 3 });
    const batch = batchOf(data, 'ikjt');
    expect(() => model.forward({ ...batch, sessionSparse: undefined })).toThrow(BatchError);
    expect(() => model.forward({ ...batch, sessionSparse: undefined })).toThrow(/feature "user_segment" is in neither/);
    expect(() => model.forward({ ...batch, dense: new Float32Array(5) })).toThrow(/batch.dense: expected size x dense = 4 x 3 = 12 values, got 5/);
    const ikjt = dedup(data.sessionKjt, [data.sessionKeys]);
    ikjt.groups[0].inverse[1] = 99;
    expect(() => model.forward({ ...batch, sessionSparse: ikjt })).toThrow(/inverse\[1\]=99/);
  });

  test('dlrmConfigFromSchema', () => {
    const schema: FeatureSchema = {
      features: [
        { name: 'click', kind: 'label' },
        { name: 'd0', kind: 'dense' },
        { name: 'd1', kind: 'dense' },
        { name: 'item', kind: 'sparse', tableSize: 1000 },
        { name: 'user', kind: 'sparse', tableSize: 10 ** 9, dedupGroup: 'session' },
        { name: 'history', kind: 'sequence', tableSize: 5000, maxLength: 50, dedupGroup: 'session' },
      ],
    };
    const config = dlrmConfigFromSchema(schema, { embeddingDim: 8, bottomMlp: [8], topMlp: [1], maxTableSize: 2000, sequenceEncoder: 'mean-mlp', seed: 4 });
    expect(config).toEqual({
      dense: 2,
      sparse: [
        { name: 'item', tableSize: 1000, pooling: 'sum' },
        { name: 'user', tableSize: 2000, pooling: 'sum' },
      ],
      sequence: [{ name: 'history', tableSize: 2000, maxLength: 50, encoder: 'mean-mlp' }],
      embeddingDim: 8,
      bottomMlp: [8],
      topMlp: [1],
      seed: 4,
    });
    expect(new Dlrm(config).featureNames).toEqual(['item', 'user', 'history']);
  });
});
