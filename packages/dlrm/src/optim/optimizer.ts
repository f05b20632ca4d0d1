import type { Parameter } from '../parameter';

/**
 * An optimizer's saved state: named flat float32 buffers. Keys are namespaced by the optimizer
 * (`adam.step`, `adam.exp_avg.<param>`, ...) so several optimizers can share one checkpoint.
 */
export type OptimizerState = Record<string, Float32Array>;

/**
 * Updates parameters from their gradients. Optimizers are not bound to a parameter list: state is
 * allocated per parameter name the first time a parameter is seen, so pass the same parameters
 * (by name) to every call.
 */
export interface Optimizer {
  /** Updates taken so far; the learning-rate schedule is evaluated at this index. */
  readonly stepCount: number;
  /** One update of every parameter from its current gradient; sparse tables update touched rows only. */
  step(params: readonly Parameter[]): void;
  /** Clears gradients: all of a dense one, only the touched rows of a sparse one (then `touchedCount = 0`). */
  zeroGrad(params: readonly Parameter[]): void;
  /** The state to checkpoint. Buffers are live views: save or copy them before the next step. */
  state(): OptimizerState;
  /**
   * Restores state saved by `state()` for these parameters (copied, so the record may be a view
   * over a file). Checks everything before changing anything; throws RecdError on a missing or
   * mis-sized entry, or an entry for a parameter not in `params`.
   */
  loadState(state: OptimizerState, params: readonly Parameter[]): void;
}
