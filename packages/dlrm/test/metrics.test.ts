import fc from 'fast-check';
import { RecdError } from '@recd/core';
import { MetricAccumulator, accuracy, auc, binaryEntropy, logLoss, normalizedEntropy } from '../src/metrics';

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const logit = (p: number) => Math.log(p / (1 - p));

/** Naive twin: count every (positive, negative) pair, ties half. O(P N). */
function aucByPairs(scores: number[], labels: number[]): number {
  let won = 0;
  let pairs = 0;
  for (let i = 0; i < scores.length; i++) {
    if (labels[i] < 0.5) continue;
    for (let j = 0; j < scores.length; j++) {
      if (labels[j] >= 0.5) continue;
      pairs++;
      won += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }
  }
  return pairs === 0 ? NaN : won / pairs;
}

/** Second twin: Mann-Whitney U from average ranks. */
function aucByAverageRanks(scores: number[], labels: number[]): number {
  const order = scores.map((_, i) => i).sort((a, b) => scores[a] - scores[b]);
  const rank = new Array<number>(scores.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end < order.length && scores[order[end]] === scores[order[start]]) end++;
    for (let k = start; k < end; k++) rank[order[k]] = (start + 1 + end) / 2;
    start = end;
  }
  const positives = labels.filter((y) => y >= 0.5).length;
  const negatives = labels.length - positives;
  const rankSum = rank.reduce((sum, r, i) => sum + (labels[i] >= 0.5 ? r : 0), 0);
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

const sampleArb = fc
  .array(fc.record({ score: fc.integer({ min: -4, max: 4 }), label: fc.constantFrom(0, 1) }), { minLength: 0, maxLength: 40 })
  .map((rows) => ({ scores: rows.map((r) => r.score / 4), labels: rows.map((r) => r.label) }));

describe('logLoss', () => {
  it('matches known values from probabilities and from logits', () => {
    const expected = -(Math.log(0.9) + Math.log(0.8)) / 2;
    expect(logLoss([0.9, 0.2], [1, 0])).toBeCloseTo(expected, 12);
    expect(logLoss([logit(0.9), logit(0.2)], [1, 0], { from: 'logits' })).toBeCloseTo(expected, 12);
    expect(logLoss([0.5], [0.3])).toBeCloseTo(Math.LN2, 12); // soft label
  });

  it('clips probabilities but computes logits exactly without overflow', () => {
    expect(logLoss([0], [1])).toBeCloseTo(-Math.log(1e-12), 9);
    expect(logLoss([1], [0], { eps: 1e-7 })).toBeCloseTo(-Math.log(1e-7), 6);
    expect(logLoss([1000, -1000], [0, 0], { from: 'logits' })).toBeCloseTo(500, 9);
    expect(logLoss([-800], [0], { from: 'logits' })).toBe(0);
  });

  it('is NaN on no samples and rejects mismatched lengths', () => {
    expect(logLoss([], [])).toBeNaN();
    expect(() => logLoss([0.5], [])).toThrow(RecdError);
    expect(() => logLoss([0.5], [1], { eps: 0 })).toThrow(/eps must be in/);
  });
});

describe('auc', () => {
  it('matches the textbook example and handles ties', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc(Float32Array.of(0.5, 0.5, 0.5), Float32Array.of(1, 0, 1))).toBe(0.5);
    // Positives 0.7 and 0.1 against negatives 0.2 and 0.7: 1 + 0.5 + 0 + 0 of 4 pairs.
    expect(auc([0.2, 0.7, 0.7, 0.1], [0, 1, 0, 1])).toBe(0.375);
    expect(auc([-0, 0], [1, 0])).toBe(0.5);
  });

  it('is NaN without both classes and rejects NaN scores', () => {
    expect(auc([0.1, 0.9], [1, 1])).toBeNaN();
    expect(auc([0.1, 0.9], [0, 0])).toBeNaN();
    expect(auc([], [])).toBeNaN();
    expect(() => auc([0.1, NaN], [0, 1])).toThrow(/score 1 is NaN/);
  });

  it('equals all-pairs counting and the average-rank formula', () => {
    fc.assert(
      fc.property(sampleArb, ({ scores, labels }) => {
        const fast = auc(scores, labels);
        const pairs = aucByPairs(scores, labels);
        if (Number.isNaN(pairs)) return expect(fast).toBeNaN();
        expect(fast).toBeCloseTo(pairs, 12);
        expect(fast).toBeCloseTo(aucByAverageRanks(scores, labels), 12);
        // Invariant under a strictly increasing transform of the scores.
        expect(auc(scores.map((s) => 3 * s - 1), labels)).toBe(fast);
      }),
      { numRuns: 500 },
    );
  });
});

describe('normalizedEntropy', () => {
  it('is 1 for predicting the base rate and below 1 for a useful model', () => {
    expect(binaryEntropy(0.5)).toBeCloseTo(Math.LN2, 15);
    expect(binaryEntropy(0)).toBe(0);
    const labels = [1, 0, 0, 0];
    expect(normalizedEntropy([0.25, 0.25, 0.25, 0.25], labels)).toBeCloseTo(1, 12);
    const good = normalizedEntropy([0.9, 0.1, 0.2, 0.1], labels);
    expect(good).toBeCloseTo(-(Math.log(0.9) + 2 * Math.log(0.9) + Math.log(0.8)) / 4 / binaryEntropy(0.25), 12);
    expect(good).toBeLessThan(1);
    expect(normalizedEntropy([0, 0, 0, 0], labels)).toBeGreaterThan(1);
  });

  it('is NaN when every label has the same class', () => {
    expect(normalizedEntropy([0.2, 0.3], [0, 0])).toBeNaN();
    expect(normalizedEntropy([0.2, 0.3], [1, 1])).toBeNaN();
    expect(normalizedEntropy([], [])).toBeNaN();
  });
});

describe('accuracy', () => {
  it('thresholds probabilities at 0.5 and logits at 0', () => {
    expect(accuracy([0.5, 0.49, 0.9, 0.1], [1, 1, 0, 0])).toBe(0.5);
    expect(accuracy([0, -0.01, 2, -2], [1, 1, 0, 0], 'logits')).toBe(0.5);
    expect(accuracy([], [])).toBeNaN();
  });
});

describe('MetricAccumulator', () => {
  it('reports the same metrics as the one-shot functions, however the pass is batched', () => {
    const batchedArb = fc.record({
      rows: fc.array(fc.record({ p: fc.double({ min: 0.001, max: 0.999, noNaN: true }), y: fc.constantFrom(0, 1) }), { maxLength: 60 }),
      cuts: fc.array(fc.nat(60), { maxLength: 5 }),
    });
    fc.assert(
      fc.property(batchedArb, ({ rows, cuts }) => {
        const predictions = Float32Array.from(rows, (r) => r.p);
        const labels = Float32Array.from(rows, (r) => r.y);
        const accumulator = new MetricAccumulator({ initialCapacity: 1 });
        const bounds = [0, ...cuts.map((c) => Math.min(c, rows.length)).sort((a, b) => a - b), rows.length];
        for (let i = 1; i < bounds.length; i++) {
          accumulator.add(predictions.subarray(bounds[i - 1], bounds[i]), labels.subarray(bounds[i - 1], bounds[i]));
        }
        const report = accumulator.compute();
        expect(report.count).toBe(rows.length);
        expect(report.logLoss).toBe(logLoss(predictions, labels));
        expect(report.auc).toBe(auc(predictions, labels));
        expect(report.ne).toBe(normalizedEntropy(predictions, labels));
        expect(report.accuracy).toBe(accuracy(predictions, labels));
        if (rows.length === 0) expect(report.positiveRate).toBeNaN();
        else expect(report.positiveRate).toBeCloseTo(rows.filter((r) => r.y === 1).length / rows.length, 12);
      }),
      { numRuns: 300 },
    );
  });

  it('takes logits, resets for the next pass, and reports NaN when empty', () => {
    const accumulator = new MetricAccumulator({ from: 'logits' });
    expect(accumulator.compute()).toEqual({ logLoss: NaN, auc: NaN, ne: NaN, accuracy: NaN, count: 0, positiveRate: NaN });
    accumulator.add([logit(0.9), logit(0.2)], [1, 0]);
    const report = accumulator.compute();
    expect(report.logLoss).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 6);
    expect(report.auc).toBe(1);
    expect(report.accuracy).toBe(1);
    expect(report.positiveRate).toBe(0.5);
    expect(report.ne).toBeCloseTo(report.logLoss / Math.LN2, 12);
    accumulator.reset();
    accumulator.add([sigmoid(0)], [1]);
    expect(accumulator.count).toBe(1);
  });

  it('grows by doubling up to maxCount and refuses more', () => {
    const accumulator = new MetricAccumulator({ initialCapacity: 2, maxCount: 5 });
    accumulator.add([0.1, 0.2, 0.3], [0, 1, 0]);
    accumulator.add([0.4, 0.5], [1, 1]);
    expect(Array.from(accumulator.labels)).toEqual([0, 1, 0, 1, 1]);
    expect(() => accumulator.add([0.6], [0])).toThrow(/exceeds maxCount 5/);
    expect(() => accumulator.add([0.6], [])).toThrow(/1 predictions but 0 labels/);
  });
});
