/**
 * Small f32x4 building blocks on float arrays in linear memory (byte addresses), each with a
 * scalar tail for lengths that are not a multiple of 4, and exp for the softmax.
 */

/** y[0 .. n) += alpha * x[0 .. n) */
export function axpy(n: i32, alpha: f32, x: usize, y: usize): void {
  const a = f32x4.splat(alpha);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i * 4;
    v128.store(y + at, f32x4.add(v128.load(y + at), f32x4.mul(a, v128.load(x + at))));
  }
  for (; i < n; i++) {
    const at = <usize>i * 4;
    store<f32>(y + at, load<f32>(y + at) + alpha * load<f32>(x + at));
  }
}

/** sum over i < n of x[i] y[i] */
export function dot(n: i32, x: usize, y: usize): f32 {
  let s0 = f32x4.splat(0);
  let s1 = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= n; i += 8) {
    const at = <usize>i * 4;
    s0 = f32x4.add(s0, f32x4.mul(v128.load(x + at), v128.load(y + at)));
    s1 = f32x4.add(s1, f32x4.mul(v128.load(x + at, 16), v128.load(y + at, 16)));
  }
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i * 4;
    s0 = f32x4.add(s0, f32x4.mul(v128.load(x + at), v128.load(y + at)));
  }
  const s = f32x4.add(s0, s1);
  let total = f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1) + f32x4.extract_lane(s, 2) + f32x4.extract_lane(s, 3);
  for (; i < n; i++) total += load<f32>(x + <usize>i * 4) * load<f32>(y + <usize>i * 4);
  return total;
}

// exp(x) = 2^n exp(r), n = round(x / ln 2), r = x - n ln 2 (ln 2 split in two for exactness), and
// exp(r) on [-ln2/2, ln2/2] by Cephes' degree-6 polynomial: relative error about 1e-7.
const LOG2E: f32 = 1.44269504088896341;
const LN2_HIGH: f32 = 0.693359375;
const LN2_LOW: f32 = -2.12194440e-4;
const EXP_MIN: f32 = -87.3365447; // exp underflows below; 2^n stays a normal float
const EXP_MAX: f32 = 88.3762626;
const P0: f32 = 1.9875691500e-4;
const P1: f32 = 1.3981999507e-3;
const P2: f32 = 8.3334519073e-3;
const P3: f32 = 4.1665795894e-2;
const P4: f32 = 1.6666665459e-1;
const P5: f32 = 5.0000001201e-1;

// @ts-ignore: decorator
@inline
export function expVector(v: v128): v128 {
  const x = f32x4.min(f32x4.max(v, f32x4.splat(EXP_MIN)), f32x4.splat(EXP_MAX));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HIGH))), f32x4.mul(n, f32x4.splat(LN2_LOW)));
  let p = f32x4.splat(P0);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P5));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const twoPowN = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, twoPowN);
}

/** The same polynomial one lane at a time, for the tails (so every lane rounds alike). */
export function expScalar(v: f32): f32 {
  return f32x4.extract_lane(expVector(f32x4.splat(v)), 0);
}

/** values[r, 0 .. width) += bias[0 .. width) for each of `rows` rows. */
export function addRowVector(rows: i32, width: i32, values: usize, bias: usize): void {
  const rowBytes = <usize>width * 4;
  for (let r = 0; r < rows; r++) axpy(width, 1, bias, values + <usize>r * rowBytes);
}

/** out[j] = sum over `rows` rows of values[r, j]. */
export function columnSums(rows: i32, width: i32, values: usize, out: usize): void {
  const rowBytes = <usize>width * 4;
  memory.fill(out, 0, rowBytes);
  for (let r = 0; r < rows; r++) axpy(width, 1, values + <usize>r * rowBytes, out);
}
