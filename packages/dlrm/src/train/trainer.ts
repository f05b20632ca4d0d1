import type { Dlrm } from '../model/dlrm';
import type { TrainingBatch } from '../model/batch';
import type { Optimizer } from '../optim/optimizer';
import { MetricAccumulator } from '../metrics/metric-accumulator';
import type { MetricReport } from '../metrics/metric-accumulator';
import { sigmoid } from '../model/bce-loss';

/** One training step, as reported to `onStep`. */
export interface StepReport {
  step: number;
  epoch: number;
  loss: number;
  size: number;
  /** Milliseconds in forward, backward and the optimizer step. */
  stepMs: number;
  /** Milliseconds waiting for this batch from the data pipeline. */
  waitMs: number;
}

export interface EpochReport {
  epoch: number;
  steps: number;
  samples: number;
  /** Mean loss over the epoch's samples. */
  meanLoss: number;
  /** Loss of every step, in order. */
  losses: number[];
  seconds: number;
  samplesPerSecond: number;
  /** Total milliseconds in model steps and waiting for batches: which one is the bottleneck. */
  stepMs: number;
  waitMs: number;
}

export interface TrainerOptions {
  model: Dlrm;
  optimizer: Optimizer;
  onStep?: (report: StepReport) => void;
}

/**
 * Runs epochs of a DLRM over batches (KJT or IKJT session features: the model treats both) and
 * evaluates on held-out batches. The loop is plain: pull a batch, forward and backward, optimizer
 * step, clear gradients; time spent waiting for batches is measured apart from time in the model.
 */
export class Trainer {
  readonly model: Dlrm;
  readonly optimizer: Optimizer;
  readonly #onStep: ((report: StepReport) => void) | undefined;
  #step = 0;

  constructor(options: TrainerOptions) {
    this.model = options.model;
    this.optimizer = options.optimizer;
    this.#onStep = options.onStep;
  }

  get steps(): number {
    return this.#step;
  }

  /** One optimizer step on one batch; returns the batch's mean loss. */
  trainStep(batch: TrainingBatch): number {
    const parameters = this.model.parameters();
    const loss = this.model.lossAndBackward(batch);
    this.optimizer.step(parameters);
    this.optimizer.zeroGrad(parameters);
    this.#step++;
    return loss;
  }

  async trainEpoch(batches: AsyncIterable<TrainingBatch>, epoch = 0): Promise<EpochReport> {
    const losses: number[] = [];
    let samples = 0;
    let lossSum = 0;
    let stepMs = 0;
    let waitMs = 0;
    const started = performance.now();
    let waitStart = started;
    for await (const batch of batches) {
      const stepStart = performance.now();
      const waited = stepStart - waitStart;
      const loss = this.trainStep(batch);
      const stepTime = performance.now() - stepStart;
      losses.push(loss);
      samples += batch.size;
      lossSum += loss * batch.size;
      stepMs += stepTime;
      waitMs += waited;
      this.#onStep?.({ step: this.#step, epoch, loss, size: batch.size, stepMs: stepTime, waitMs: waited });
      waitStart = performance.now();
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      epoch,
      steps: losses.length,
      samples,
      meanLoss: samples > 0 ? lossSum / samples : NaN,
      losses,
      seconds,
      samplesPerSecond: seconds > 0 ? samples / seconds : 0,
      stepMs,
      waitMs,
    };
  }

  /** Log loss, AUC, normalized entropy and accuracy of the model's predictions on `batches`. */
  async evaluate(batches: AsyncIterable<TrainingBatch>): Promise<MetricReport> {
    const metrics = new MetricAccumulator({ from: 'probabilities' });
    for await (const batch of batches) {
      const logits = this.model.forward(batch);
      const probabilities = new Float32Array(batch.size);
      for (let i = 0; i < batch.size; i++) probabilities[i] = sigmoid(logits[i]);
      metrics.add(probabilities, batch.labels.subarray(0, batch.size));
    }
    return metrics.compute();
  }
}
