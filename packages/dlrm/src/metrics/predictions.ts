import { RecdError } from '@recd/core';

/** Numbers indexed like an array: Float32Array, Float64Array or number[]. */
export type Numbers = ArrayLike<number>;

/** What the model's outputs are: probabilities in [0, 1], or logits (pre-sigmoid scores). */
export type PredictionKind = 'probabilities' | 'logits';

/** Labels at or above this count as positive for AUC and accuracy (0/1 click labels). */
export const POSITIVE_LABEL_THRESHOLD = 0.5;

export function checkSameLength(predictions: Numbers, labels: Numbers, metric: string): void {
  if (predictions.length !== labels.length) {
    throw new RecdError(`${metric}: ${predictions.length} predictions but ${labels.length} labels`);
  }
}

export function meanOf(values: Numbers): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return values.length === 0 ? NaN : sum / values.length;
}
