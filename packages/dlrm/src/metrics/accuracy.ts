import { checkSameLength, POSITIVE_LABEL_THRESHOLD, type Numbers, type PredictionKind } from './predictions';

/**
 * Share of samples whose thresholded prediction equals the label: predicted positive when
 * `p >= 0.5` (or logit `>= 0`), label positive when `>= 0.5` (TorchRec's accuracy). NaN for no samples.
 */
export function accuracy(predictions: Numbers, labels: Numbers, from: PredictionKind = 'probabilities'): number {
  checkSameLength(predictions, labels, 'accuracy');
  if (predictions.length === 0) return NaN;
  const threshold = from === 'logits' ? 0 : 0.5;
  let correct = 0;
  for (let i = 0; i < predictions.length; i++) {
    if ((predictions[i] >= threshold) === (labels[i] >= POSITIVE_LABEL_THRESHOLD)) correct++;
  }
  return correct / predictions.length;
}
