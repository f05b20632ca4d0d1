import { RecdError } from '@recd/core';
import type { Parameter } from '../parameter';
import type { Optimizer, OptimizerState } from './optimizer';
import { zeroGradients } from './zero-grad';

export interface CompositeOptimizerParts {
  /** For embedding tables (`param.sparse` set): `Sgd` or row-wise `Adagrad`. */
  sparse: Optimizer;
  /** For everything else (MLPs, interaction, encoders): usually `Adam`. */
  dense: Optimizer;
}

const SPARSE_PREFIX = 'sparse/';
const DENSE_PREFIX = 'dense/';

/**
 * The DLRM split: one optimizer for sparse tables, another for dense parameters, each seeing only
 * its own parameters. State keys are the parts' keys prefixed with `sparse/` and `dense/`.
 *
 * ```ts
 * const optimizer = new CompositeOptimizer({
 *   sparse: new Adagrad({ lr: 0.05 }),                  // row-wise on tables
 *   dense: new Adam({ lr: linearWarmup(1e-3, 1000) }),
 * });
 * optimizer.step(params); optimizer.zeroGrad(params);
 * ```
 */
export class CompositeOptimizer implements Optimizer {
  readonly sparse: Optimizer;
  readonly dense: Optimizer;

  constructor(parts: CompositeOptimizerParts) {
    this.sparse = parts.sparse;
    this.dense = parts.dense;
  }

  /** Steps of the dense part (both parts step together). */
  get stepCount(): number {
    return this.dense.stepCount;
  }

  step(params: readonly Parameter[]): void {
    const { sparse, dense } = splitParameters(params);
    this.sparse.step(sparse);
    this.dense.step(dense);
  }

  zeroGrad(params: readonly Parameter[]): void {
    zeroGradients(params);
  }

  state(): OptimizerState {
    const state: OptimizerState = {};
    for (const [key, buffer] of Object.entries(this.sparse.state())) state[SPARSE_PREFIX + key] = buffer;
    for (const [key, buffer] of Object.entries(this.dense.state())) state[DENSE_PREFIX + key] = buffer;
    return state;
  }

  /** Loads both parts; if the sparse part rejects its state, the dense part is put back as it was. */
  loadState(state: OptimizerState, params: readonly Parameter[]): void {
    const sparseState: OptimizerState = {};
    const denseState: OptimizerState = {};
    for (const [key, buffer] of Object.entries(state)) {
      if (key.startsWith(SPARSE_PREFIX)) sparseState[key.slice(SPARSE_PREFIX.length)] = buffer;
      else if (key.startsWith(DENSE_PREFIX)) denseState[key.slice(DENSE_PREFIX.length)] = buffer;
      else throw new RecdError(`optimizer state: key "${key}" has neither the "${SPARSE_PREFIX}" nor the "${DENSE_PREFIX}" prefix of a CompositeOptimizer`);
    }
    const { sparse, dense } = splitParameters(params);
    const denseBefore = copyState(this.dense.state());
    this.dense.loadState(denseState, dense);
    try {
      this.sparse.loadState(sparseState, sparse);
    } catch (error) {
      this.dense.loadState(denseBefore, dense);
      throw error;
    }
  }
}

export function splitParameters(params: readonly Parameter[]): { sparse: Parameter[]; dense: Parameter[] } {
  const sparse: Parameter[] = [];
  const dense: Parameter[] = [];
  for (const param of params) (param.sparse === undefined ? dense : sparse).push(param);
  return { sparse, dense };
}

function copyState(state: OptimizerState): OptimizerState {
  const copy: OptimizerState = {};
  for (const [key, buffer] of Object.entries(state)) copy[key] = new Float32Array(buffer);
  return copy;
}
