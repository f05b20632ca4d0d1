/**
 * Stacks the bottom MLP output and every feature's vector into one [B x n x d] array, expanding
 * deduplicated features on the way (RecD's expand step). Feature f computed on R_f rows has an
 * optional inverse index (length B, values in [0, R_f)); without one, R_f = B and row i is sample i:
 *
 *     forward:   T[i, 0] = bottom[i]        T[i, 1 + f] = V_f[inverse_f[i]]
 *     backward:  dbottom[i] = dT[i, 0]      dV_f[u] = sum over i with inverse_f[i] = u of dT[i, 1 + f]
 *
 * The backward sum is a scatter-add: the gradients of a unique row's copies are summed before
 * they reach the encoder that computed it, so it runs its backward once per unique row.
 */
import { Float32Buffer } from './buffers';
import { ActivationBuffer } from './workspace';

export class FeatureStack {
  readonly dim: number;
  /** Vectors per sample: the bottom output plus one per feature. */
  readonly vectors: number;
  readonly #stacked = new ActivationBuffer();
  readonly #gradBottom = new ActivationBuffer();
  readonly #gradFeatures: Float32Buffer[];
  #rows: number[] = [];
  #inverses: readonly (Int32Array | undefined)[] = [];
  #batch = 0;

  constructor(features: number, dim: number) {
    this.dim = dim;
    this.vectors = features + 1;
    this.#gradFeatures = Array.from({ length: features }, () => new Float32Buffer());
  }

  /**
   * `features[f]` holds `rows[f] x dim` values; `inverses[f]` maps samples to its rows, or is
   * undefined when its rows are the samples.
   */
  forward(bottom: Float32Array, features: readonly Float32Array[], rows: readonly number[], inverses: readonly (Int32Array | undefined)[], batch: number): Float32Array {
    const d = this.dim;
    const n = this.vectors;
    const stacked = this.#stacked.view(batch * n * d);
    for (let i = 0; i < batch; i++) stacked.set(bottom.subarray(i * d, (i + 1) * d), i * n * d);
    for (let f = 0; f < features.length; f++) {
      const values = features[f];
      const inverse = inverses[f];
      for (let i = 0; i < batch; i++) {
        const from = (inverse === undefined ? i : inverse[i]) * d;
        const to = (i * n + 1 + f) * d;
        for (let j = 0; j < d; j++) stacked[to + j] = values[from + j];
      }
    }
    this.#rows = rows.slice();
    this.#inverses = inverses.slice();
    this.#batch = batch;
    return stacked;
  }

  /** Splits `gradStacked` into the bottom's gradient and each feature's (summed per unique row). */
  backward(gradStacked: Float32Array): { gradBottom: Float32Array; gradFeatures: Float32Array[] } {
    const d = this.dim;
    const n = this.vectors;
    const batch = this.#batch;
    const gradBottom = this.#gradBottom.view(batch * d);
    for (let i = 0; i < batch; i++) gradBottom.set(gradStacked.subarray(i * n * d, (i * n + 1) * d), i * d);
    const gradFeatures = this.#gradFeatures.map((buffer, f) => {
      const grad = buffer.zeroed(this.#rows[f] * d);
      const inverse = this.#inverses[f];
      for (let i = 0; i < batch; i++) {
        const to = (inverse === undefined ? i : inverse[i]) * d;
        const from = (i * n + 1 + f) * d;
        for (let j = 0; j < d; j++) grad[to + j] += gradStacked[from + j];
      }
      return grad;
    });
    return { gradBottom, gradFeatures };
  }
}
