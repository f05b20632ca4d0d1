import type { Parameter } from '../parameter';
import { checkRate, toSchedule, type LearningRate, type LearningRateSchedule } from './learning-rate';
import type { Optimizer, OptimizerState } from './optimizer';
import { checkParameters } from './parameter-rows';
import { SlotStore } from './slot-store';
import { zeroGradients } from './zero-grad';

export interface SgdOptions {
  lr: LearningRate;
  /** L2 penalty: `g <- g + weightDecay * w`. Default 0. */
  weightDecay?: number;
}

/**
 * Plain SGD: `w <- w - lr * (g + weightDecay * w)`. For a sparse table only the touched rows are
 * updated, weight decay included, so untouched rows stay bit-identical (TorchRec's sparse SGD).
 * State is the step count only (`sgd.step`).
 */
export class Sgd implements Optimizer {
  readonly #schedule: LearningRateSchedule;
  readonly #weightDecay: number;
  readonly #store = new SlotStore('sgd', []);

  constructor(options: SgdOptions) {
    this.#schedule = toSchedule(options.lr);
    this.#weightDecay = options.weightDecay ?? 0;
    checkRate(this.#weightDecay, 'SGD weightDecay');
  }

  get stepCount(): number {
    return this.#store.stepCount;
  }

  step(params: readonly Parameter[]): void {
    const lr = this.#schedule(this.#store.stepCount);
    const decay = this.#weightDecay;
    checkParameters(params);
    for (const param of params) {
      const { value, grad, sparse } = param;
      if (sparse === undefined) {
        updateRange(value, grad, 0, value.length, lr, decay);
        continue;
      }
      const { rowSize, touchedRows, touchedCount } = sparse;
      for (let i = 0; i < touchedCount; i++) {
        const start = touchedRows[i] * rowSize;
        updateRange(value, grad, start, start + rowSize, lr, decay);
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
    this.#store.load(state, params);
  }
}

function updateRange(value: Float32Array, grad: Float32Array, start: number, end: number, lr: number, decay: number): void {
  for (let k = start; k < end; k++) value[k] -= lr * (grad[k] + decay * value[k]);
}
