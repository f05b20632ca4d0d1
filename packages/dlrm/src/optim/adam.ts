import { RecdError } from '@recd/core';
import type { Parameter } from '../parameter';
import { checkPositive, checkRate, toSchedule, type LearningRate, type LearningRateSchedule } from './learning-rate';
import type { Optimizer, OptimizerState } from './optimizer';
import { checkParameters } from './parameter-rows';
import { SlotStore, type SlotSpec } from './slot-store';
import { zeroGradients } from './zero-grad';

export interface AdamOptions {
  lr: LearningRate;
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  eps?: number;
  /** Default 0. */
  weightDecay?: number;
  /**
   * `'decoupled'` (default, AdamW as in PyTorch `AdamW`): `w <- w * (1 - lr * wd)` before the Adam
   * update, so decay does not pass through the moment estimates. `'l2'` (PyTorch `Adam`):
   * `g <- g + wd * w` before the moments.
   */
  weightDecayMode?: 'decoupled' | 'l2';
}

/**
 * Adam with bias correction, for dense parameters (sparse tables throw: route them to `Sgd` or
 * `Adagrad` with `CompositeOptimizer`). At update `t = stepCount + 1`:
 * `m = b1 m + (1 - b1) g; v = b2 v + (1 - b2) g^2;
 * w -= (lr / (1 - b1^t)) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)` (PyTorch's arrangement of
 * `lr * m_hat / (sqrt(v_hat) + eps)`). State: `adam.step`, `adam.exp_avg.<param>`, `adam.exp_avg_sq.<param>`.
 */
export class Adam implements Optimizer {
  readonly #schedule: LearningRateSchedule;
  readonly #beta1: number;
  readonly #beta2: number;
  readonly #eps: number;
  readonly #weightDecay: number;
  readonly #decoupled: boolean;
  readonly #expAvg: SlotSpec = { name: 'exp_avg', length: (param) => param.value.length };
  readonly #expAvgSq: SlotSpec = { name: 'exp_avg_sq', length: (param) => param.value.length };
  readonly #store = new SlotStore('adam', [this.#expAvg, this.#expAvgSq]);

  constructor(options: AdamOptions) {
    this.#schedule = toSchedule(options.lr);
    this.#beta1 = options.beta1 ?? 0.9;
    this.#beta2 = options.beta2 ?? 0.999;
    this.#eps = options.eps ?? 1e-8;
    this.#weightDecay = options.weightDecay ?? 0;
    this.#decoupled = (options.weightDecayMode ?? 'decoupled') === 'decoupled';
    for (const [name, beta] of [['beta1', this.#beta1], ['beta2', this.#beta2]] as const) {
      if (!(beta >= 0 && beta < 1)) throw new RecdError(`Adam ${name} must be in [0, 1), got ${beta}`);
    }
    checkPositive(this.#eps, 'Adam eps');
    checkRate(this.#weightDecay, 'Adam weightDecay');
  }

  get stepCount(): number {
    return this.#store.stepCount;
  }

  step(params: readonly Parameter[]): void {
    const lr = this.#schedule(this.#store.stepCount);
    const t = this.#store.stepCount + 1;
    const stepSize = lr / (1 - this.#beta1 ** t);
    const rootCorrection = Math.sqrt(1 - this.#beta2 ** t);
    const decayFactor = this.#decoupled ? 1 - lr * this.#weightDecay : 1;
    const l2 = this.#decoupled ? 0 : this.#weightDecay;
    const b1 = this.#beta1;
    const b2 = this.#beta2;
    const eps = this.#eps;
    for (const param of params) {
      if (param.sparse !== undefined) {
        throw new RecdError(`Adam updates dense parameters only; "${param.name}" is a sparse table: use CompositeOptimizer with Sgd or Adagrad for it`);
      }
    }
    checkParameters(params);
    for (const param of params) {
      const { value, grad } = param;
      const m = this.#store.buffer(this.#expAvg, param);
      const v = this.#store.buffer(this.#expAvgSq, param);
      for (let k = 0; k < value.length; k++) {
        if (decayFactor !== 1) value[k] *= decayFactor;
        const g = grad[k] + l2 * value[k];
        m[k] = b1 * m[k] + (1 - b1) * g;
        v[k] = b2 * v[k] + (1 - b2) * g * g;
        value[k] -= (stepSize * m[k]) / (Math.sqrt(v[k]) / rootCorrection + eps);
      }
    }
    this.#store.stepCount++;
  }

  zeroGrad(params: readonly Parameter[]): void {
    zeroGradients(params);
  }

  state(): OptimizerState {
    return this.#store.state();
  }

  loadState(state: OptimizerState, params: readonly Parameter[]): void {
    for (const param of params) {
      if (param.sparse !== undefined) throw new RecdError(`Adam holds no state for sparse table "${param.name}"`);
    }
    this.#store.load(state, params);
  }
}
