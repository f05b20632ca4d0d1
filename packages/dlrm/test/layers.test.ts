import { Rng } from '@recd/core';
import { BceWithLogitsLoss, DotInteraction, FeatureStack, Linear, Mlp, ReLU, bceWithLogits, type Parameter } from '@recd/dlrm';
import { expectFiniteDifferences, randomFloats, weightedSum } from './model-helpers';

/**
 * Checks a layer's backward against central differences of L = sum(r * forward(x)): the input
 * gradient and every parameter gradient. Parameter gradients must start at zero.
 */
function checkLayer(forward: (x: Float32Array) => Float32Array, backward: (g: Float32Array) => Float32Array, params: Parameter[], input: Float32Array, rng: Rng): void {
  const probe = randomFloats(rng, forward(input).length);
  const loss = (): number => weightedSum(forward(input), probe);
  forward(input);
  const gradInput = Float32Array.from(backward(probe));
  expectFiniteDifferences('input', input, gradInput, loss);
  for (const param of params) expectFiniteDifferences(param.name, param.value, Float32Array.from(param.grad), loss);
}

describe('dense layers: backward against finite differences', () => {
  test('Linear', () => {
    const rng = new Rng(1);
    const layer = new Linear('fc', 5, 3, rng);
    checkLayer((x) => layer.forward(x, 4), (g) => layer.backward(g), layer.parameters(), randomFloats(rng, 4 * 5), rng);
  });

  test('Linear forward is x W^T + b on a worked example', () => {
    const layer = new Linear('fc', 2, 2, new Rng(0));
    layer.weight.value.set([1, 2, 3, 4]);
    layer.bias.value.set([10, 20]);
    expect(Array.from(layer.forward(new Float32Array([1, 1, 0, 1]), 2))).toEqual([13, 27, 12, 24]);
  });

  test('ReLU (inputs kept away from the kink)', () => {
    const rng = new Rng(2);
    const layer = new ReLU(6);
    const input = randomFloats(rng, 18).map((v) => (v >= 0 ? v + 0.1 : v - 0.1));
    checkLayer((x) => layer.forward(x, 3), (g) => layer.backward(g), [], input, rng);
  });

  test.each([false, true])('Mlp (finalActivation=%s)', (finalActivation) => {
    const rng = new Rng(3);
    const mlp = new Mlp('mlp', 4, [6, 5, 3], rng, { finalActivation });
    expect(mlp.layers.map((layer) => layer.constructor.name)).toEqual(
      finalActivation ? ['Linear', 'ReLU', 'Linear', 'ReLU', 'Linear', 'ReLU'] : ['Linear', 'ReLU', 'Linear', 'ReLU', 'Linear'],
    );
    expect(mlp.parameters().map((p) => p.name)).toEqual(['mlp.0.weight', 'mlp.0.bias', 'mlp.1.weight', 'mlp.1.bias', 'mlp.2.weight', 'mlp.2.bias']);
    checkLayer((x) => mlp.forward(x, 5), (g) => mlp.backward(g), mlp.parameters(), randomFloats(rng, 5 * 4), rng);
  });

  test('DotInteraction', () => {
    const rng = new Rng(4);
    const interaction = new DotInteraction(4, 3);
    expect(interaction.outFeatures).toBe(3 + 6);
    checkLayer((x) => interaction.forward(x, 2), (g) => interaction.backward(g), [], randomFloats(rng, 2 * 4 * 3), rng);
  });

  test('DotInteraction output: bottom vector, then dots of the strict lower triangle row by row', () => {
    const interaction = new DotInteraction(3, 2);
    // vectors T0 = (1, 2), T1 = (3, 4), T2 = (5, 6)
    const out = interaction.forward(new Float32Array([1, 2, 3, 4, 5, 6]), 1);
    expect(Array.from(out)).toEqual([1, 2, /* T1.T0 */ 11, /* T2.T0 */ 17, /* T2.T1 */ 39]);
  });

  test('FeatureStack expands by the inverse and scatter-adds gradients back', () => {
    const rng = new Rng(5);
    const stack = new FeatureStack(2, 2);
    const bottom = randomFloats(rng, 4 * 2);
    const unique = randomFloats(rng, 2 * 2); // feature 0: 2 unique rows
    const whole = randomFloats(rng, 4 * 2); // feature 1: one row per sample
    const inverse = new Int32Array([0, 0, 1, 0]);
    const stacked = stack.forward(bottom, [unique, whole], [2, 4], [inverse, undefined], 4);
    expect(Array.from(stacked.subarray(3 * 6, 4 * 6))).toEqual([...bottom.subarray(6, 8), ...unique.subarray(0, 2), ...whole.subarray(6, 8)]);
    const probe = randomFloats(rng, stacked.length);
    const { gradBottom, gradFeatures } = stack.backward(probe);
    const loss = (): number => weightedSum(stack.forward(bottom, [unique, whole], [2, 4], [inverse, undefined], 4), probe);
    expectFiniteDifferences('bottom', bottom, Float32Array.from(gradBottom), loss);
    expectFiniteDifferences('unique', unique, Float32Array.from(gradFeatures[0]), loss);
    expectFiniteDifferences('whole', whole, Float32Array.from(gradFeatures[1]), loss);
  });
});

describe('sigmoid + binary cross-entropy', () => {
  test('values, stability at extreme logits, and gradient', () => {
    expect(bceWithLogits(new Float32Array([0]), new Float32Array([1]))).toBeCloseTo(Math.LN2, 12);
    expect(bceWithLogits(new Float32Array([1000, -1000]), new Float32Array([1, 0]))).toBe(0);
    expect(bceWithLogits(new Float32Array([-1000]), new Float32Array([1]))).toBeCloseTo(1000, 6);
    const rng = new Rng(6);
    const logits = randomFloats(rng, 7, 4);
    const labels = Float32Array.from({ length: 7 }, (_, i) => i % 2);
    const loss = new BceWithLogitsLoss();
    loss.forward(logits, labels, 7);
    expectFiniteDifferences('logits', logits, Float32Array.from(loss.backward()), () => bceWithLogits(logits, labels), { eps: 1e-3 });
  });
});
