/** Dense transform kernels: one pass per transform over a Float32Array, in double precision. */
import type { ResolvedDenseTransform } from './transforms';

/** A new Float32Array: `source` through `chain`, left to right. */
export function applyDenseTransforms(source: Float32Array, chain: readonly ResolvedDenseTransform[]): Float32Array {
  const out = Float32Array.from(source);
  const n = out.length;
  for (const transform of chain) {
    switch (transform.kind) {
      case 'log1p':
        for (let i = 0; i < n; i++) out[i] = Math.log1p(out[i] > 0 ? out[i] : 0);
        break;
      case 'standardize': {
        const { mean, std } = transform;
        for (let i = 0; i < n; i++) out[i] = (out[i] - mean) / std;
        break;
      }
      case 'clip': {
        const { min, max } = transform;
        for (let i = 0; i < n; i++) out[i] = out[i] < min ? min : out[i] > max ? max : out[i];
        break;
      }
    }
  }
  return out;
}

/**
 * Bucket of each value: the number of `boundaries` (ascending) that are `<= x`, so values below
 * the first boundary go to bucket 0 and values at or above the last to `boundaries.length`. NaN
 * goes to bucket 0.
 */
export function bucketize(values: Float32Array, boundaries: readonly number[]): Int32Array {
  const out = new Int32Array(values.length);
  const count = boundaries.length;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    let low = 0;
    let high = count;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (boundaries[mid] <= x) low = mid + 1;
      else high = mid;
    }
    out[i] = low;
  }
  return out;
}
