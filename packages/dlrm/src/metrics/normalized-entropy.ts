import { logLoss, type LogLossOptions } from './log-loss';
import { meanOf, type Numbers } from './predictions';

/** Entropy in nats of a Bernoulli(rate): `-(r log r + (1 - r) log(1 - r))`, 0 at r = 0 or 1. */
export function binaryEntropy(rate: number): number {
  if (rate <= 0 || rate >= 1) return 0;
  return -(rate * Math.log(rate) + (1 - rate) * Math.log1p(-rate));
}

/**
 * Normalized entropy (He et al., "Practical lessons from predicting clicks on ads at Facebook",
 * 2014): log loss divided by the entropy of the base rate `mean(labels)`, i.e. the loss relative to
 * always predicting the empirical CTR. Below 1 beats that baseline; lower is better.
 * NaN when there are no samples or every label is 0 (or every label is 1): the baseline then has
 * zero entropy and the ratio is undefined.
 */
export function normalizedEntropy(predictions: Numbers, labels: Numbers, options: LogLossOptions = {}): number {
  return normalizedEntropyOf(logLoss(predictions, labels, options), meanOf(labels));
}

/** NE from an already computed log loss and base rate (NaN when the base rate's entropy is 0). */
export function normalizedEntropyOf(logLossValue: number, positiveRate: number): number {
  const baseline = binaryEntropy(positiveRate);
  return baseline > 0 ? logLossValue / baseline : NaN;
}
