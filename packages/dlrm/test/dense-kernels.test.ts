import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Rng } from '@recd/core';
import { DotInteraction, Mlp, ReLU, setGemmBackend, type GemmBackend } from '@recd/dlrm';
import { requireWasmMath } from '../src/wasm/gemm-wasm';
import { reluBackwardWasm, reluForwardWasm } from '../src/wasm/relu-wasm';
import { HeapFloat32Buffer } from '../src/wasm/wasm-heap';
import { maxAbs, maxAbsDiff, randomFloats } from './model-helpers';

afterEach(() => setGemmBackend('auto'));

describe('dense layers: WebAssembly kernels against TypeScript', () => {
  const heap = requireWasmMath().heap;
  const inHeap = (values: Float32Array): Float32Array => {
    const view = new HeapFloat32Buffer(heap).view(values.length);
    view.set(values);
    return view;
  };

  test.each([1, 4, 7, 1030])('ReLU on %i values: same outputs and gradients, bit for bit (zeros, -0 and NaN included)', (n) => {
    const rng = new Rng(n);
    const input = randomFloats(rng, n);
    input[0] = 0;
    if (n > 2) input[1] = -0;
    if (n > 3) input[2] = NaN;
    const gradOutput = randomFloats(rng, n);
    setGemmBackend('ts');
    const layer = new ReLU(n);
    const expected = Float32Array.from(layer.forward(input, 1));
    const expectedGrad = Float32Array.from(layer.backward(gradOutput));
    const output = inHeap(new Float32Array(n));
    reluForwardWasm(n, inHeap(input), output);
    const gradInput = inHeap(new Float32Array(n));
    reluBackwardWasm(n, output, inHeap(gradOutput), gradInput);
    expect(Array.from(output)).toEqual(Array.from(expected));
    expect(Array.from(gradInput).map((g) => g + 0)).toEqual(Array.from(expectedGrad).map((g) => g + 0));
  });

  test('an MLP gives the same output, input gradient and parameter gradients on both backends', () => {
    const results = (['ts', 'wasm'] as GemmBackend[]).map((backend) => {
      setGemmBackend(backend);
      const rng = new Rng(5);
      const mlp = new Mlp('m', 13, [70, 33, 5], rng);
      const rows = 37;
      const output = Float32Array.from(mlp.forward(randomFloats(rng, rows * 13), rows));
      const gradInput = Float32Array.from(mlp.backward(randomFloats(rng, rows * 5)));
      return { output, gradInput, grads: mlp.parameters().map((p) => Float32Array.from(p.grad)) };
    });
    const [ts, wasm] = results;
    const close = (a: Float32Array, b: Float32Array): void => expect(maxAbsDiff(a, b)).toBeLessThanOrEqual(1e-5 * Math.max(1, maxAbs(a)));
    close(ts.output, wasm.output);
    close(ts.gradInput, wasm.gradInput);
    ts.grads.forEach((grad, i) => close(grad, wasm.grads[i]));
  });

  test.each([
    [11, 16],
    [9, 8],
    [6, 6],
    [2, 4],
  ])('DotInteraction with %i vectors of dim %i: same output and input gradient on both backends', (vectors, dim) => {
    const batch = 5;
    const rng = new Rng(vectors * dim);
    const stacked = randomFloats(rng, batch * vectors * dim);
    const results = (['ts', 'wasm'] as GemmBackend[]).map((backend) => {
      setGemmBackend(backend);
      const layer = new DotInteraction(vectors, dim);
      const output = Float32Array.from(layer.forward(stacked, batch));
      const gradInput = Float32Array.from(layer.backward(randomFloats(new Rng(1), batch * layer.outFeatures)));
      return { output, gradInput };
    });
    expect(maxAbsDiff(results[0].output, results[1].output)).toBeLessThanOrEqual(1e-5 * maxAbs(results[0].output));
    expect(maxAbsDiff(results[0].gradInput, results[1].gradInput)).toBeLessThanOrEqual(1e-5 * maxAbs(results[0].gradInput));
  });

  test("a layer's output view stays valid after the layer is collected (the view keeps its heap region)", async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    setGemmBackend('wasm');
    const rng = new Rng(9);
    const input = randomFloats(rng, 64 * 13);
    const output = new Mlp('m', 13, [32, 8], rng).forward(input, 64);
    expect(heap.contains(output)).toBe(true);
    const copy = Float32Array.from(output);
    for (let round = 0; round < 3; round++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve)); // finalizers run as tasks after a collection
    }
    // allocations that would reuse the region had it been freed
    for (let i = 0; i < 20; i++) new Mlp('other', 13, [32, 8], new Rng(i)).forward(input.map((x) => x + i), 64);
    expect(Array.from(output)).toEqual(Array.from(copy));
  });
});
