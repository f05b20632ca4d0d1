import { KeyedJaggedTensor, Rng, JaggedTensor } from '@recd/core';
import type { Parameter } from '@recd/dlrm';

export function randomFloats(rng: Rng, length: number, scale = 1): Float32Array {
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) out[i] = (2 * rng.nextFloat() - 1) * scale;
  return out;
}

/** The gradient as a dense array: for sparse tables, the untouched rows are 0. */
export function denseGrad(param: Parameter): Float64Array {
  const out = new Float64Array(param.grad.length);
  if (!param.sparse) {
    out.set(param.grad);
    return out;
  }
  const { rowSize, touchedRows, touchedCount } = param.sparse;
  for (let t = 0; t < touchedCount; t++) {
    const row = touchedRows[t];
    for (let j = 0; j < rowSize; j++) out[row * rowSize + j] = param.grad[row * rowSize + j];
  }
  return out;
}

export function maxAbs(values: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) max = Math.max(max, Math.abs(values[i]));
  return max;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

/** sum_i weights[i] * values[i], in double. */
export function weightedSum(values: Float32Array, weights: Float32Array): number {
  let total = 0;
  for (let i = 0; i < weights.length; i++) total += values[i] * weights[i];
  return total;
}

/**
 * Central finite differences of `loss()` with respect to entries of `values` (all of them, or
 * `maxChecks` spread evenly), compared with `analytic`. The step actually taken is re-read after
 * rounding to float32. Tolerance: |fd - analytic| <= atol + rtol * |analytic|, atol relative to
 * the largest analytic entry.
 */
export function expectFiniteDifferences(
  label: string,
  values: Float32Array,
  analytic: ArrayLike<number>,
  loss: () => number,
  options: { eps?: number; rtol?: number; atol?: number; maxChecks?: number; indices?: number[] } = {},
): void {
  const eps = options.eps ?? 1e-2;
  const rtol = options.rtol ?? 3e-3;
  const scale = Math.max(maxAbs(analytic), 1e-3);
  const atol = (options.atol ?? 5e-4) * scale;
  const maxChecks = options.maxChecks ?? 48;
  const indices = options.indices ?? evenlySpaced(values.length, maxChecks);
  for (const i of indices) {
    const original = values[i];
    values[i] = original + eps;
    const up = values[i];
    const lossUp = loss();
    values[i] = original - eps;
    const down = values[i];
    const lossDown = loss();
    values[i] = original;
    const fd = (lossUp - lossDown) / (up - down);
    const error = Math.abs(fd - analytic[i]);
    if (!(error <= atol + rtol * Math.abs(analytic[i]))) {
      throw new Error(`${label}[${i}]: finite difference ${fd} vs analytic ${analytic[i]} (error ${error}, allowed ${atol + rtol * Math.abs(analytic[i])})`);
    }
  }
}

function evenlySpaced(length: number, count: number): number[] {
  if (length <= count) return Array.from({ length }, (_, i) => i);
  return Array.from({ length: count }, (_, i) => Math.floor((i * length) / count));
}

/** A jagged feature of int64 ids from row lists. */
export function jaggedOf(rows: readonly (readonly (number | bigint)[])[]): JaggedTensor {
  const lengths = Int32Array.from(rows, (row) => row.length);
  const values = BigInt64Array.from(rows.flat(), (id) => BigInt(id));
  return JaggedTensor.fromLengths({ values, lengths });
}

export interface SessionData {
  size: number;
  labels: Float32Array;
  dense: Float32Array;
  /** Per-sample keys. */
  sampleKjt: KeyedJaggedTensor;
  /** Session-constant keys, every sample's row (repeats within a session). */
  sessionKjt: KeyedJaggedTensor;
  sampleKeys: string[];
  sessionKeys: string[];
  /** Session-constant sequence keys (a subset of sessionKeys). */
  sequenceKeys: string[];
}

/**
 * Batches shaped like makeSessionBatch's, with variable session sizes (1 .. maxPerSession) and
 * variable history lengths (0 .. maxLength + 2, so some are empty and some truncated), int64 ids
 * with negatives and values above 2^53.
 */
export function makeSessionData(options: { size: number; seed: number; dense: number; maxPerSession?: number; maxLength?: number; idRange?: number }): SessionData {
  const rng = new Rng(options.seed);
  const size = options.size;
  const maxPerSession = options.maxPerSession ?? 6;
  const maxLength = options.maxLength ?? 6;
  const idRange = options.idRange ?? 1000;
  const sampleKeys = ['item', 'item_category'];
  const sequenceKeys = ['history_a', 'history_b'];
  const sessionKeys = ['user', 'user_segment', ...sequenceKeys];
  const randomId = (): bigint => {
    const pick = rng.nextInt(10);
    const small = BigInt(rng.nextInt(idRange)) - BigInt(idRange / 2);
    if (pick === 0) return small + 2n ** 60n;
    if (pick === 1) return small - 2n ** 55n;
    return small;
  };

  const sessionRows: bigint[][][] = sessionKeys.map(() => []);
  let session: bigint[][] = [];
  let left = 0;
  for (let i = 0; i < size; i++) {
    if (left === 0) {
      left = 1 + rng.nextInt(maxPerSession);
      session = sessionKeys.map((key) => {
        const length = sequenceKeys.includes(key) ? rng.nextInt(maxLength + 3) : key === 'user' ? 1 : 1 + rng.nextInt(2);
        return Array.from({ length }, randomId);
      });
    }
    left--;
    session.forEach((row, k) => sessionRows[k].push(row));
  }
  const sampleRows = sampleKeys.map(() => Array.from({ length: size }, () => [randomId()]));
  return {
    size,
    labels: Float32Array.from({ length: size }, () => rng.nextInt(2)),
    dense: randomFloats(rng, size * options.dense),
    sampleKjt: kjtOf(sampleKeys, sampleRows),
    sessionKjt: kjtOf(sessionKeys, sessionRows),
    sampleKeys,
    sessionKeys,
    sequenceKeys,
  };
}

/** rows[k][i] is key k's row for sample i. */
export function kjtOf(keys: string[], rows: bigint[][][]): KeyedJaggedTensor {
  const lengths = Int32Array.from(rows.flatMap((keyRows) => keyRows.map((row) => row.length)));
  const values = BigInt64Array.from(rows.flat(2));
  return KeyedJaggedTensor.fromLengths({ keys, values, lengths, stride: rows[0]?.length ?? 0 });
}
