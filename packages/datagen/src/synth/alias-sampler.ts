/**
 * Walker's alias method (Vose's construction): O(n) to build, O(1) per draw from a discrete
 * distribution. One table can hold many independent distributions side by side ("segments"), so
 * the catalog keeps one per category without an object per category. Each column is stored as
 * (acceptance, value if accepted, value of the alias) in one Float64Array, so a draw touches one
 * cache line: with a 50k-item catalog, cache misses and not arithmetic set the generator's speed.
 */
import type { Rng } from '@recd/core';
// Bound once per module: in a vm context (jest) every lookup of a global such as `Math` costs ~0.4 µs.
const { floor } = Math;

const STRIDE = 3;

export class AliasSampler {
  /** Segment `s` covers columns `offsets[s] .. offsets[s + 1]`. */
  readonly offsets: Int32Array;
  readonly #table: Float64Array;

  private constructor(offsets: Int32Array, table: Float64Array) {
    this.offsets = offsets;
    this.#table = table;
  }

  /**
   * One distribution: draws return `values[i]` (default `i`) with probability proportional to
   * `weights[i]`. Throws RangeError if a weight is negative or not finite, or all are zero.
   */
  static fromWeights(weights: Float64Array, values?: Int32Array): AliasSampler {
    return AliasSampler.fromSegments(weights, Int32Array.of(0, weights.length), values);
  }

  /** Independent distributions, one per segment of `weights`; every segment must be non-empty. */
  static fromSegments(weights: Float64Array, offsets: Int32Array, values?: Int32Array): AliasSampler {
    const n = weights.length;
    const accept = new Float64Array(n);
    const alias = new Int32Array(n);
    buildSegments(weights, offsets, accept, alias);
    const table = new Float64Array(n * STRIDE);
    for (let i = 0; i < n; i++) {
      table[i * STRIDE] = accept[i];
      table[i * STRIDE + 1] = values === undefined ? i : values[i];
      table[i * STRIDE + 2] = values === undefined ? alias[i] : values[alias[i]];
    }
    return new AliasSampler(offsets, table);
  }

  /** A value from segment 0. */
  draw(rng: Rng): number {
    return this.drawIn(0, rng);
  }

  /** A value from segment `segment`. */
  drawIn(segment: number, rng: Rng): number {
    const start = this.offsets[segment];
    const scaled = rng.nextFloat() * (this.offsets[segment + 1] - start);
    const column = floor(scaled);
    const at = (start + column) * STRIDE;
    // The fractional part of one uniform is a second uniform, independent of the column.
    return scaled - column < this.#table[at] ? this.#table[at + 1] : this.#table[at + 2];
  }
}

/**
 * Vose's construction for every segment. One call walks all segments: per-segment calls made V8
 * deoptimize and recompile this loop hundreds of times, which cost more than the work itself.
 */
function buildSegments(weights: Float64Array, offsets: Int32Array, accept: Float64Array, alias: Int32Array): void {
  const small = new Int32Array(weights.length);
  const large = new Int32Array(weights.length);
  for (let s = 0; s + 1 < offsets.length; s++) {
    const start = offsets[s];
    const end = offsets[s + 1];
    const scale = (end - start) / segmentTotal(weights, start, end);
    let smallCount = 0;
    let largeCount = 0;
    for (let i = start; i < end; i++) {
      const scaled = weights[i] * scale;
      accept[i] = scaled;
      alias[i] = i;
      if (scaled < 1) small[smallCount++] = i;
      else large[largeCount++] = i;
    }
    while (smallCount > 0 && largeCount > 0) {
      const less = small[--smallCount];
      const more = large[largeCount - 1];
      alias[less] = more;
      const left = accept[more] - (1 - accept[less]);
      accept[more] = left;
      if (left < 1) {
        largeCount--;
        small[smallCount++] = more;
      }
    }
    // Whatever is left on either stack is 1 up to rounding.
    for (let k = 0; k < largeCount; k++) accept[large[k]] = 1;
    for (let k = 0; k < smallCount; k++) accept[small[k]] = 1;
  }
}

/** The weights' sum; throws RangeError if the segment is empty or a weight is negative or not finite. */
function segmentTotal(weights: Float64Array, start: number, end: number): number {
  let total = 0;
  let valid = end > start;
  for (let i = start; i < end; i++) {
    valid = valid && weights[i] >= 0;
    total += weights[i];
  }
  // With no weight negative or NaN, a finite total means every weight is finite.
  if (!valid || !(total > 0 && total < 1 / 0)) {
    throw new RangeError(`alias segment ${start} .. ${end}: expected finite weights >= 0 with a positive sum, got sum ${total}`);
  }
  return total;
}
