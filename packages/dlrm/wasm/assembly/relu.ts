/**
 * ReLU over `n` floats (the math is in src/model/relu.ts; this is its SIMD twin):
 *
 *     forward:   output = max(input, 0)                 (NaN stays NaN, -0 becomes +0)
 *     backward:  gradInput = gradOutput * [output > 0]  (a product, so NaN * 0 stays NaN as in TS)
 */

export function reluForward(n: i32, input: usize, output: usize): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i * 4;
    v128.store(output + at, f32x4.max(v128.load(input + at), zero));
  }
  for (; i < n; i++) {
    const at = <usize>i * 4;
    const x = load<f32>(input + at);
    store<f32>(output + at, x > 0 ? x : x !== x ? x : 0);
  }
}

export function reluBackward(n: i32, output: usize, gradOutput: usize, gradInput: usize): void {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const at = <usize>i * 4;
    const open = v128.and(f32x4.gt(v128.load(output + at), zero), one);
    v128.store(gradInput + at, f32x4.mul(v128.load(gradOutput + at), open));
  }
  for (; i < n; i++) {
    const at = <usize>i * 4;
    store<f32>(gradInput + at, load<f32>(gradOutput + at) * (load<f32>(output + at) > 0 ? <f32>1 : <f32>0));
  }
}
