import { Rng, dedup } from '@recd/core';
import { AttentionEncoder, Dlrm, EmbeddingBag, Mlp, distinctBytes, setGemmBackend, type GemmBackend } from '@recd/dlrm';
import { jaggedOf, makeSessionData, randomFloats } from './model-helpers';

afterEach(() => setGemmBackend('auto'));

describe('distinctBytes', () => {
  test('counts each region once and skips excluded buffers', () => {
    const a = new Float32Array(10);
    const b = new Float32Array(4);
    expect(distinctBytes([a, a.subarray(0, 10), a.subarray(2, 4), b])).toBe(40 + 8 + 16);
    expect(distinctBytes([a, b], [b.buffer])).toBe(40);
    expect(distinctBytes([])).toBe(0);
  });
});

describe('savedForBackward / activationBytes', () => {
  test('an MLP keeps its input and each ReLU output once (the next Linear reads the same array)', () => {
    const rows = 5;
    const mlp = new Mlp('m', 3, [4, 6, 2], new Rng(1));
    mlp.forward(randomFloats(new Rng(2), rows * 3), rows);
    expect(distinctBytes(mlp.savedForBackward())).toBe(4 * rows * (3 + 4 + 6));
  });

  test('an embedding bag keeps the table row of each id', () => {
    const bag = new EmbeddingBag('e', 10, 4, new Rng(1));
    bag.forward(jaggedOf([[1, 2], [], [3, 4, 5]]));
    expect(distinctBytes(bag.savedForBackward())).toBe(4 * 5);
  });

  for (const backend of ['ts', 'wasm'] as GemmBackend[]) {
    test(`the attention encoder's saved arrays follow tokens and squared lengths (${backend})`, () => {
      setGemmBackend(backend);
      const d = 4;
      const encoder = new AttentionEncoder('s', { tableSize: 20, dim: d, maxLength: 5 }, new Rng(3));
      const sequences = [[1, 2, 3], [4], [], [5, 6, 7, 8, 9, 10]]; // the last is cut to 5
      encoder.forward(jaggedOf(sequences));
      const lengths = sequences.map((s) => Math.min(s.length, 5));
      const tokens = lengths.reduce((a, b) => a + b);
      const squares = lengths.reduce((a, l) => a + l * l, 0);
      const s = sequences.length;
      // token rows, two offset arrays, X and Qt, probabilities, w, X^T w, mean(X), the projection's input
      const expected = 4 * (tokens + 2 * (s + 1) + 2 * tokens * d + squares + tokens + 3 * s * d);
      expect(distinctBytes(encoder.savedForBackward())).toBe(expected);
    });
  }

  test('dedup keeps fewer activation bytes than the expanded batch, by what the session encoders save', () => {
    const data = makeSessionData({ size: 48, seed: 4, dense: 3, maxPerSession: 6 });
    const config = {
      dense: 3,
      sparse: [...data.sampleKeys, 'user', 'user_segment'].map((name) => ({ name, tableSize: 50 })),
      sequence: data.sequenceKeys.map((name) => ({ name, tableSize: 60, maxLength: 6 })),
      embeddingDim: 4,
      bottomMlp: [8, 4],
      topMlp: [8, 1],
      seed: 5,
    };
    const common = { size: data.size, labels: data.labels, dense: data.dense, sparse: data.sampleKjt };
    const expanded = new Dlrm(config);
    expanded.lossAndBackward({ ...common, sessionSparse: data.sessionKjt });
    const deduplicated = new Dlrm(config);
    deduplicated.lossAndBackward({ ...common, sessionSparse: dedup(data.sessionKjt, [data.sessionKeys]) });
    const encoderBytes = (model: Dlrm): number => distinctBytes(model.encoders.flatMap((encoder) => encoder.savedForBackward()));
    expect(encoderBytes(deduplicated)).toBeLessThan(encoderBytes(expanded));
    // everything outside the encoders (MLPs, interaction, logits) is per sample either way
    expect(expanded.activationBytes() - encoderBytes(expanded)).toBe(deduplicated.activationBytes() - encoderBytes(deduplicated));
    expect(deduplicated.activationBytes()).toBeGreaterThan(0);
  });
});
