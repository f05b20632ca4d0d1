import { RecdError } from '@recd/core';
import { checkSameLength, type Numbers, type PredictionKind } from './predictions';

/** Probabilities are clipped to [eps, 1 - eps] (TorchRec's NE uses the same 1e-12). */
export const DEFAULT_PROBABILITY_EPS = 1e-12;

export interface LogLossOptions {
  /** Default `'probabilities'`. */
  from?: PredictionKind;
  /** Clipping for probabilities; logits are not clipped. Default 1e-12. */
  eps?: number;
}

/**
 * Mean binary cross-entropy `-(1/n) sum_i [y_i log p_i + (1 - y_i) log(1 - p_i)]`, in float64.
 * Labels may be soft (any value in [0, 1]). From probabilities, `p` is clipped to `[eps, 1 - eps]`
 * so a confident mistake costs at most `-log(eps)` (27.6 for 1e-12). From logits `z`, the exact,
 * unclipped and overflow-free form `max(z, 0) - y z + log1p(exp(-|z|))` is used.
 * NaN for no samples.
 */
export function logLoss(predictions: Numbers, labels: Numbers, options: LogLossOptions = {}): number {
  checkSameLength(predictions, labels, 'logLoss');
  const n = predictions.length;
  if (n === 0) return NaN;
  let total = 0;
  if ((options.from ?? 'probabilities') === 'logits') {
    for (let i = 0; i < n; i++) {
      const z = predictions[i];
      total += Math.max(z, 0) - labels[i] * z + Math.log1p(Math.exp(-Math.abs(z)));
    }
    return total / n;
  }
  const eps = options.eps ?? DEFAULT_PROBABILITY_EPS;
  if (!(eps > 0 && eps < 0.5)) throw new RecdError(`logLoss: eps must be in (0, 0.5), got ${eps}`);
  for (let i = 0; i < n; i++) {
    const p = Math.min(Math.max(predictions[i], eps), 1 - eps);
    const y = labels[i];
    // Skip a zero-weighted term: 0 * log(...) is 0, and keeps soft-label math exact at y = 0 or 1.
    if (y !== 0) total -= y * Math.log(p);
    if (y !== 1) total -= (1 - y) * Math.log1p(-p);
  }
  return total / n;
}
