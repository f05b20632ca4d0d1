import type { Parameter } from '../parameter';
import { checkPositive, checkRate, toSchedule, type LearningRate, type LearningRateSchedule } from './learning-rate';
import type { Optimizer, OptimizerState } from './optimizer';
import { checkParameters, rowCount } from './parameter-rows';
import { SlotStore, type SlotSpec } from './slot-store';
import { zeroGradients } from './zero-grad';

export interface AdagradOptions {
  lr: LearningRate;
  /** Added to the root of the accumulator. Default 1e-10 (PyTorch and TorchRec). */
  eps?: number;
  /** L2 penalty: `g <- g + weightDecay * w`, on touched rows only for sparse tables. Default 0. */
  weightDecay?: number;
  /** Starting value of every accumulator. Default 0. */
  initialAccumulatorValue?: number;
}

/**
 * Adagrad, element-wise for dense parameters and row-wise for sparse tables.
 *
 * Dense (PyTorch `Adagrad`), per element: `g = grad + wd * w; s += g^2; w -= lr * g / (sqrt(s) + eps)`.
 *
 * Sparse (TorchRec / FBGEMM `EXACT_ROWWISE_ADAGRAD`), per touched row `r` of size `d`, with one
 * accumulator per row: `g_j = grad_rj + wd * w_rj; m_r += (1/d) * sum_j g_j^2;
 * w_rj -= lr * g_j / (sqrt(m_r) + eps)`. The accumulator costs one float per row instead of `d`.
 * Untouched rows and their accumulators do not change.
 *
 * State: `adagrad.step` and `adagrad.sum.<param>` (`value.length` floats, or one per row for a
 * sparse table).
 */
export class Adagrad implements Optimizer {
  readonly #schedule: LearningRateSchedule;
  readonly #eps: number;
  readonly #weightDecay: number;
  readonly #sum: SlotSpec;
  readonly #store: SlotStore;

  constructor(options: AdagradOptions) {
    this.#schedule = toSchedule(options.lr);
    this.#eps = options.eps ?? 1e-10;
    this.#weightDecay = options.weightDecay ?? 0;
    const initialValue = options.initialAccumulatorValue ?? 0;
    checkPositive(this.#eps, 'Adagrad eps');
    checkRate(this.#weightDecay, 'Adagrad weightDecay');
    checkRate(initialValue, 'Adagrad initialAccumulatorValue');
    this.#sum = {
      name: 'sum',
      length: (param) => (param.sparse === undefined ? param.value.length : rowCount(param)),
      initialValue,
    };
    this.#store = new SlotStore('adagrad', [this.#sum]);
  }

  get stepCount(): number {
    return this.#store.stepCount;
  }

  step(params: readonly Parameter[]): void {
    const lr = this.#schedule(this.#store.stepCount);
    checkParameters(params);
    for (const param of params) {
      const sum = this.#store.buffer(this.#sum, param);
      if (param.sparse === undefined) this.#stepDense(param, sum, lr);
      else this.#stepRowWise(param, sum, lr);
    }
    this.#store.stepCount++;
  }

  #stepDense(param: Parameter, sum: Float32Array, lr: number): void {
    const { value, grad } = param;
    const eps = this.#eps;
    const decay = this.#weightDecay;
    for (let k = 0; k < value.length; k++) {
      const g = grad[k] + decay * value[k];
      sum[k] += g * g;
      value[k] -= (lr * g) / (Math.sqrt(sum[k]) + eps);
    }
  }

  #stepRowWise(param: Parameter, rowSum: Float32Array, lr: number): void {
    const { value, grad } = param;
    const { rowSize, touchedRows, touchedCount } = param.sparse!;
    const eps = this.#eps;
    const decay = this.#weightDecay;
    for (let i = 0; i < touchedCount; i++) {
      const row = touchedRows[i];
      const start = row * rowSize;
      const end = start + rowSize;
      let squares = 0;
      for (let k = start; k < end; k++) {
        const g = grad[k] + decay * value[k];
        squares += g * g;
      }
      rowSum[row] += squares / rowSize;
      const rate = lr / (Math.sqrt(rowSum[row]) + eps);
      for (let k = start; k < end; k++) value[k] -= rate * (grad[k] + decay * value[k]);
    }
  }

  zeroGrad(params: readonly Parameter[]): void {
    zeroGradients(params);
  }

  state(): OptimizerState {
    return this.#store.state();
  }

  loadState(state: OptimizerState, params: readonly Parameter[]): void {
    this.#store.load(state, params);
  }
}
