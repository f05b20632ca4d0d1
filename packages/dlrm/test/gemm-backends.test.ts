import fc from 'fast-check';
import { Rng } from '@recd/core';
import { gemm, gemmBackend, gemmNaive, gemmTs, gemmWasm, matmulTransB, setGemmBackend, wasmAvailable } from '@recd/dlrm';
import { requireWasmMath } from '../src/wasm/gemm-wasm';
import { HeapFloat32Buffer } from '../src/wasm/wasm-heap';
import { maxAbs, maxAbsDiff, randomFloats } from './model-helpers';

type Gemm = typeof gemmTs;

/** Sizes around the kernels' tiles (4 x 8 wasm, 4 x 4 TypeScript) and blocks (64, 96, 256). */
const EDGE_SIZES = [1, 3, 17, 64, 65];
const size = fc.oneof(fc.constantFrom(...EDGE_SIZES), fc.integer({ min: 0, max: 70 }));

interface Case {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  accumulate: boolean;
  seed: number;
}

function operands({ m, n, k, seed }: Case): { a: Float32Array; b: Float32Array; c: Float32Array } {
  const rng = new Rng(seed);
  return { a: randomFloats(rng, m * k), b: randomFloats(rng, k * n), c: randomFloats(rng, m * n) };
}

/** C from `kernel` and from gemmNaive (double sums) agree to float32 rounding of k-term sums. */
function expectMatchesNaive(kernel: Gemm, test: Case): Float32Array {
  const { transA, transB, m, n, k, accumulate } = test;
  const { a, b, c } = operands(test);
  const expected = Float32Array.from(c);
  kernel(transA, transB, m, n, k, a, b, c, accumulate);
  gemmNaive(transA, transB, m, n, k, a, b, expected, accumulate);
  expect(maxAbsDiff(c, expected)).toBeLessThanOrEqual(1e-6 * Math.max(1, k) * Math.max(1, maxAbs(expected)));
  return c;
}

const cases = fc.record({ transA: fc.boolean(), transB: fc.boolean(), m: size, n: size, k: size, accumulate: fc.boolean(), seed: fc.nat() });

describe('gemm backends', () => {
  test('the WebAssembly kernels load here (Node >= 20 has SIMD and shared memories)', () => {
    expect(wasmAvailable()).toBe(true);
  });

  test('wasm and TypeScript both match gemmNaive, and each other, on random shapes in every layout', () => {
    fc.assert(
      fc.property(cases, (test) => {
        const fromWasm = expectMatchesNaive(gemmWasm, test);
        const fromTs = expectMatchesNaive(gemmTs, test);
        expect(maxAbsDiff(fromWasm, fromTs)).toBeLessThanOrEqual(1e-6 * Math.max(1, test.k) * Math.max(1, maxAbs(fromTs)));
      }),
      { numRuns: 200 },
    );
  });

  test.each([
    // across the wasm blocks: rows (64), columns (256) and terms (256), and the model's shapes;
    // from 32 columns on A is packed (4-row panels, 4 terms per transpose, partial panels padded)
    [130, 9, 7],
    [69, 33, 3],
    [7, 40, 6],
    [66, 32, 257],
    [5, 262, 7],
    [6, 9, 515],
    [67, 263, 259],
    [50, 50, 64],
    [128, 119, 256],
  ])('m=%i n=%i k=%i in every layout, with and without accumulate', (m, n, k) => {
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        for (const accumulate of [false, true]) expectMatchesNaive(gemmWasm, { transA, transB, m, n, k, accumulate, seed: m * n + k });
      }
    }
  });

  test('operands inside the wasm heap are used in place and give the same result as copies', () => {
    const heap = requireWasmMath().heap;
    const rng = new Rng(5);
    const [m, n, k] = [37, 19, 23];
    const inHeap = (values: Float32Array): Float32Array => {
      const view = new HeapFloat32Buffer(heap).view(values.length);
      view.set(values);
      return view;
    };
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = randomFloats(rng, m * k);
        const b = randomFloats(rng, k * n);
        const c = randomFloats(rng, m * n);
        const copied = Float32Array.from(c);
        gemmWasm(transA, transB, m, n, k, a, b, copied, true);
        const resident = inHeap(c);
        gemmWasm(transA, transB, m, n, k, inHeap(a), inHeap(b), resident, true);
        expect(heap.contains(resident)).toBe(true);
        expect(Array.from(resident)).toEqual(Array.from(copied));
      }
    }
  });

  test('k = 0 gives zeros, or leaves C when accumulating; empty C is a no-op', () => {
    const c = new Float32Array([1, 2, 3, 4]);
    gemmWasm(false, false, 2, 2, 0, new Float32Array(0), new Float32Array(0), c, true);
    expect(Array.from(c)).toEqual([1, 2, 3, 4]);
    gemmWasm(false, false, 2, 2, 0, new Float32Array(0), new Float32Array(0), c);
    expect(Array.from(c)).toEqual([0, 0, 0, 0]);
    gemmWasm(false, false, 0, 3, 2, new Float32Array(0), new Float32Array(6), new Float32Array(0));
  });

  test('reads and writes only the leading entries of longer buffers', () => {
    const c = new Float32Array([0, 7]);
    gemmWasm(false, false, 1, 1, 2, new Float32Array([1, 2, 99, 99]), new Float32Array([3, 4, 99]), c);
    expect(Array.from(c)).toEqual([11, 7]);
  });

  test('a too-short operand is an error, not a read past its end', () => {
    expect(() => gemmWasm(false, false, 2, 2, 2, new Float32Array(3), new Float32Array(4), new Float32Array(4))).toThrow(
      'gemm: A needs at least 4 entries, got 3',
    );
  });
});

describe('backend selection', () => {
  afterEach(() => setGemmBackend('auto'));

  test("defaults to 'wasm' here; setGemmBackend switches what gemm runs", () => {
    expect(gemmBackend()).toBe(process.env.RECD_GEMM === 'ts' ? 'ts' : 'wasm');
    expect(setGemmBackend('ts')).toBe('ts');
    expect(gemmBackend()).toBe('ts');
    const a = new Float32Array([1, 2, 3, 4, 5, 6]);
    const fromTs = new Float32Array(4);
    matmulTransB(2, 2, 3, a, a, fromTs);
    setGemmBackend('wasm');
    const fromWasm = new Float32Array(4);
    gemm(false, true, 2, 2, 3, a, a, fromWasm);
    expect(Array.from(fromTs)).toEqual([14, 32, 32, 77]);
    expect(Array.from(fromWasm)).toEqual([14, 32, 32, 77]);
    expect(setGemmBackend('auto')).toBe('wasm');
  });

  test('rejects an unknown backend, naming what it expected', () => {
    expect(() => setGemmBackend('blas' as 'ts')).toThrow(`setGemmBackend: expected 'ts', 'wasm' or 'auto', got "blas"`);
  });

  test('RECD_GEMM=ts sets the default for the process', () => {
    const saved = process.env.RECD_GEMM;
    process.env.RECD_GEMM = 'ts';
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const fresh = require('../src/model/backend') as typeof import('../src/model/backend');
        expect(fresh.gemmBackend()).toBe('ts');
      });
    } finally {
      if (saved === undefined) delete process.env.RECD_GEMM;
      else process.env.RECD_GEMM = saved;
    }
  });
});
