import { equivalenceHolds, runDedupEquivalence } from '../bench/train-equivalence';
import type { TrainBenchConfig } from '../bench/train-configs';

/** Config (b)'s shape, scaled down: per-sample ids, session ids and attention histories. */
const SMALL: TrainBenchConfig = {
  name: 'small',
  label: 'small sequence model',
  batchSize: 64,
  dense: 4,
  dim: 8,
  bottomMlp: [16, 8],
  topMlp: [16, 1],
  sampleSparse: 2,
  sessionSparse: 2,
  sessionSequences: 1,
  sequenceLength: 6,
  tableSize: 500,
};

test('100 training steps with dedup on and off: equal loss at every step, equal held-out AUC', async () => {
  const result = await runDedupEquivalence({ config: SMALL, steps: 100, evalBatches: 4, samplesPerSession: 4 });
  expect(result.lossesOff).toHaveLength(100);
  expect(result.maxRelativeLossDiff).toBeLessThanOrEqual(1e-5);
  expect(Math.abs(result.on.auc - result.off.auc)).toBeLessThanOrEqual(1e-4);
  expect(equivalenceHolds(result)).toEqual({ losses: true, auc: true });
  // the models learned something, so the equality is not that of two untrained models
  expect(result.off.auc).toBeGreaterThan(0.7);
  expect(result.lossesOff.slice(-10).reduce((a, b) => a + b) / 10).toBeLessThan(result.lossesOff[0]);
}, 60_000);
