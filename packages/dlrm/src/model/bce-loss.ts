/**
 * Sigmoid + binary cross-entropy from logits, averaged over the batch, in the numerically stable
 * form (no exp of a large positive number, no log of 0):
 *
 *     loss = (1/B) sum_i  max(x_i, 0) - x_i y_i + log(1 + exp(-|x_i|))
 *     dloss/dx_i = (sigmoid(x_i) - y_i) / B
 */
import { Float32Buffer } from './buffers';

/** The mean binary cross-entropy of `logits` against 0/1 (or soft) `labels`. */
export function bceWithLogits(logits: Float32Array, labels: Float32Array, batch = logits.length): number {
  let total = 0;
  for (let i = 0; i < batch; i++) total += bceTerm(logits[i], labels[i]);
  return batch === 0 ? 0 : total / batch;
}

/** sigmoid(x), stable for large |x|. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

export class BceWithLogitsLoss {
  readonly #gradInput = new Float32Buffer();
  #logits: Float32Array = new Float32Array(0);
  #labels: Float32Array = new Float32Array(0);
  #batch = 0;

  forward(logits: Float32Array, labels: Float32Array, batch: number): number {
    this.#logits = logits;
    this.#labels = labels;
    this.#batch = batch;
    return bceWithLogits(logits, labels, batch);
  }

  /** The gradient of the mean loss with respect to each logit. */
  backward(): Float32Array {
    const batch = this.#batch;
    const grad = this.#gradInput.view(batch);
    for (let i = 0; i < batch; i++) grad[i] = (sigmoid(this.#logits[i]) - this.#labels[i]) / batch;
    return grad;
  }

  /** The logits (the labels are the batch's). */
  savedForBackward(): ArrayBufferView[] {
    return [this.#logits.subarray(0, this.#batch)];
  }
}

function bceTerm(x: number, y: number): number {
  return Math.max(x, 0) - x * y + Math.log1p(Math.exp(-Math.abs(x)));
}
