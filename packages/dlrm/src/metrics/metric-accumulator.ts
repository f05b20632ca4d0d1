import { RecdError } from '@recd/core';
import { accuracy } from './accuracy';
import { auc } from './auc';
import { logLoss } from './log-loss';
import { normalizedEntropyOf } from './normalized-entropy';
import { checkSameLength, meanOf, type Numbers, type PredictionKind } from './predictions';

export interface MetricReport {
  logLoss: number;
  auc: number;
  /** Normalized entropy: logLoss / entropy(positiveRate). */
  ne: number;
  accuracy: number;
  count: number;
  /** Mean label. */
  positiveRate: number;
}

export interface MetricAccumulatorOptions {
  /** Default `'probabilities'`. */
  from?: PredictionKind;
  /** Probability clipping for log loss and NE. Default 1e-12. */
  eps?: number;
  /** Samples the first buffers hold; they double as needed. Default 4096. */
  initialCapacity?: number;
  /** Most samples accepted; `add` beyond it throws instead of growing. Default unlimited. */
  maxCount?: number;
}

/**
 * Collects predictions and labels over an evaluation pass, then reports every metric at once.
 * Storage is two float32 buffers that grow by doubling (capped at `maxCount`) and are reused
 * after `reset()`, so a pass costs 8 bytes per sample and amortized O(1) copying per sample.
 */
export class MetricAccumulator {
  readonly from: PredictionKind;
  readonly #eps: number | undefined;
  readonly #maxCount: number;
  #predictions: Float32Array;
  #labels: Float32Array;
  #count = 0;

  constructor(options: MetricAccumulatorOptions = {}) {
    this.from = options.from ?? 'probabilities';
    this.#eps = options.eps;
    this.#maxCount = options.maxCount ?? Infinity;
    const capacity = Math.min(options.initialCapacity ?? 4096, this.#maxCount);
    if (!(Number.isInteger(capacity) && capacity >= 0)) {
      throw new RecdError(`MetricAccumulator: initialCapacity and maxCount must be integers >= 0, got ${options.initialCapacity} and ${options.maxCount}`);
    }
    this.#predictions = new Float32Array(capacity);
    this.#labels = new Float32Array(capacity);
  }

  get count(): number {
    return this.#count;
  }

  /** Appends one batch. Float32Array inputs are copied with a single `set`. */
  add(predictions: Numbers, labels: Numbers): void {
    checkSameLength(predictions, labels, 'MetricAccumulator.add');
    const needed = this.#count + predictions.length;
    if (needed > this.#maxCount) {
      throw new RecdError(`MetricAccumulator: adding ${predictions.length} samples to ${this.#count} exceeds maxCount ${this.#maxCount}`);
    }
    if (needed > this.#predictions.length) this.#grow(needed);
    this.#predictions.set(predictions, this.#count);
    this.#labels.set(labels, this.#count);
    this.#count = needed;
  }

  /** Forgets the samples but keeps the buffers for the next pass. */
  reset(): void {
    this.#count = 0;
  }

  /** Views of the samples collected so far (valid until the next `add`). */
  get predictions(): Float32Array {
    return this.#predictions.subarray(0, this.#count);
  }

  get labels(): Float32Array {
    return this.#labels.subarray(0, this.#count);
  }

  /** All metrics over the samples so far; every rate is NaN when empty, AUC and NE NaN with one class only. */
  compute(): MetricReport {
    const predictions = this.predictions;
    const labels = this.labels;
    const positiveRate = meanOf(labels);
    const loss = logLoss(predictions, labels, { from: this.from, eps: this.#eps });
    return {
      logLoss: loss,
      auc: auc(predictions, labels),
      ne: normalizedEntropyOf(loss, positiveRate),
      accuracy: accuracy(predictions, labels, this.from),
      count: this.#count,
      positiveRate,
    };
  }

  #grow(needed: number): void {
    let capacity = Math.max(this.#predictions.length, 1);
    while (capacity < needed) capacity *= 2;
    capacity = Math.min(capacity, this.#maxCount);
    const predictions = new Float32Array(capacity);
    const labels = new Float32Array(capacity);
    predictions.set(this.#predictions.subarray(0, this.#count));
    labels.set(this.#labels.subarray(0, this.#count));
    this.#predictions = predictions;
    this.#labels = labels;
  }
}
