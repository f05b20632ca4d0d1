import { RecdError } from '@recd/core';
import { checkSameLength, POSITIVE_LABEL_THRESHOLD, type Numbers } from './predictions';

/**
 * Exact ROC AUC: the probability that a random positive scores above a random negative, ties
 * counting one half. This is the Mann-Whitney U statistic with average ranks for ties,
 * `AUC = (sum of positive ranks - P (P + 1) / 2) / (P N)`.
 *
 * Computed by sorting positive and negative scores separately (native typed-array sort, no
 * comparator) and merging: O(n log n) time, O(n) float64 scratch. Any monotone transform of the
 * scores (logits or probabilities) gives the same AUC. Labels `>= 0.5` are positive.
 *
 * Returns NaN when all labels are positive, all negative, or there are none: AUC is undefined
 * without both classes. Throws RecdError on a NaN score.
 *
 * Example: scores `[0.1, 0.4, 0.35, 0.8]`, labels `[0, 0, 1, 1]` give 0.75.
 */
export function auc(scores: Numbers, labels: Numbers): number {
  checkSameLength(scores, labels, 'auc');
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    if (Number.isNaN(scores[i])) throw new RecdError(`auc: score ${i} is NaN`);
    if (labels[i] >= POSITIVE_LABEL_THRESHOLD) positives++;
  }
  const negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return NaN;
  const positiveScores = new Float64Array(positives);
  const negativeScores = new Float64Array(negatives);
  for (let i = 0, p = 0, q = 0; i < labels.length; i++) {
    if (labels[i] >= POSITIVE_LABEL_THRESHOLD) positiveScores[p++] = scores[i];
    else negativeScores[q++] = scores[i];
  }
  positiveScores.sort();
  negativeScores.sort();
  return pairsWon(positiveScores, negativeScores) / (positives * negatives);
}

/** For ascending `pos` and `neg`: sum over positives of (#neg below + half #neg equal). */
function pairsWon(pos: Float64Array, neg: Float64Array): number {
  let won = 0;
  let below = 0; // negatives strictly below the current positive score
  for (let i = 0; i < pos.length; ) {
    const score = pos[i];
    let group = 0;
    while (i < pos.length && pos[i] === score) {
      group++;
      i++;
    }
    while (below < neg.length && neg[below] < score) below++;
    let equal = 0;
    while (below + equal < neg.length && neg[below + equal] === score) equal++;
    won += group * (below + 0.5 * equal);
  }
  return won;
}
