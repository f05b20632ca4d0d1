import fc from 'fast-check';
import { RecdError } from '@recd/core';
import { Adagrad, Adam, CompositeOptimizer, Sgd, constantLearningRate, linearWarmup, type OptimizerState } from '../src/optim';
import { parameter, type Parameter } from '../src/parameter';

/** A dense parameter with the given values and gradient. */
function denseParam(name: string, values: number[], grads: number[]): Parameter {
  const param = parameter(name, [values.length]);
  param.value.set(values);
  param.grad.set(grads);
  return param;
}

/** An embedding table `rows x rowSize` with values `start + index / 8`, and gradients set on `touched` rows only. */
function sparseTable(name: string, rows: number, rowSize: number, touched: number[], grad: (row: number, col: number) => number): Parameter {
  const param = parameter(name, [rows, rowSize]);
  for (let i = 0; i < param.value.length; i++) param.value[i] = 1 + i / 8;
  for (const row of touched) for (let col = 0; col < rowSize; col++) param.grad[row * rowSize + col] = grad(row, col);
  param.sparse = { rowSize, touchedRows: Int32Array.from(touched), touchedCount: touched.length };
  return param;
}

function rowBits(param: Parameter, row: number): number[] {
  const rowSize = param.sparse!.rowSize;
  return Array.from(new Uint32Array(param.value.buffer, param.value.byteOffset + row * rowSize * 4, rowSize));
}

function expectClose(actual: ArrayLike<number>, expected: number[], relative = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tolerance = relative * Math.max(1, Math.abs(expected[i]));
    if (!(Math.abs(actual[i] - expected[i]) <= tolerance)) {
      throw new Error(`element ${i}: expected ${expected[i]}, got ${actual[i]} (tolerance ${tolerance})`);
    }
  }
}

function cloneParam(param: Parameter): Parameter {
  const copy: Parameter = { name: param.name, shape: param.shape, value: new Float32Array(param.value), grad: new Float32Array(param.grad) };
  if (param.sparse) copy.sparse = { ...param.sparse, touchedRows: new Int32Array(param.sparse.touchedRows) };
  return copy;
}

describe('learning rate', () => {
  it('warms up linearly to the peak, then stays there', () => {
    const schedule = linearWarmup(1, 4);
    expect([0, 1, 2, 3, 4, 100].map(schedule)).toEqual([0.25, 0.5, 0.75, 1, 1, 1]);
    expect(constantLearningRate(0.3)(7)).toBe(0.3);
    expect(() => linearWarmup(1, 0)).toThrow(RecdError);
    expect(() => constantLearningRate(-1)).toThrow(/learning rate must be finite and >= 0, got -1/);
    expect(() => new Adagrad({ lr: 1, eps: 0 })).toThrow(/Adagrad eps must be finite and > 0, got 0/);
    expect(() => new Adam({ lr: 1, beta2: 1 })).toThrow(/beta2 must be in \[0, 1\), got 1/);
  });

  it('drives the step size of an optimizer', () => {
    const param = denseParam('w', [0], [1]);
    const sgd = new Sgd({ lr: linearWarmup(0.1, 2) });
    sgd.step([param]);
    expectClose(param.value, [-0.05]);
    sgd.step([param]);
    expectClose(param.value, [-0.15]);
    expect(sgd.stepCount).toBe(2);
  });
});

describe('Sgd', () => {
  it('takes the known dense step, with and without weight decay', () => {
    const param = denseParam('w', [1, -2, 0.5], [0.5, 1, -2]);
    new Sgd({ lr: 0.1 }).step([param]);
    expectClose(param.value, [0.95, -2.1, 0.7]);

    const decayed = denseParam('w', [2, 2], [0, 1]);
    new Sgd({ lr: 0.1, weightDecay: 0.5 }).step([decayed]);
    expectClose(decayed.value, [2 - 0.1 * 1, 2 - 0.1 * (1 + 1)]);
  });

  it('updates only the touched rows of a sparse table, weight decay included', () => {
    const table = sparseTable('emb', 4, 2, [2, 0], (row, col) => row + col + 1);
    table.grad.fill(99, 2, 4); // stale gradient on untouched row 1 must be ignored
    const before = [0, 1, 2, 3].map((row) => rowBits(table, row));
    const original = Array.from(table.value);
    new Sgd({ lr: 0.5, weightDecay: 0.1 }).step([table]);
    expect(rowBits(table, 1)).toEqual(before[1]);
    expect(rowBits(table, 3)).toEqual(before[3]);
    const expected = (k: number, g: number) => original[k] - 0.5 * (g + 0.1 * original[k]);
    expectClose(table.value.subarray(0, 2), [expected(0, 1), expected(1, 2)]);
    expectClose(table.value.subarray(4, 6), [expected(4, 3), expected(5, 4)]);
  });
});

describe('Adagrad', () => {
  it('takes the known element-wise steps on a dense parameter', () => {
    const param = denseParam('w', [1, 1], [0.5, -2]);
    const adagrad = new Adagrad({ lr: 0.1 });
    adagrad.step([param]); // s = g^2, so the step is lr * sign(g)
    expectClose(param.value, [0.9, 1.1]);
    adagrad.step([param]); // s = 2 g^2: lr * sign(g) / sqrt(2)
    expectClose(param.value, [0.9 - 0.1 / Math.SQRT2, 1.1 + 0.1 / Math.SQRT2]);
    expectClose(adagrad.state()['adagrad.sum.w'], [0.5, 8]);
  });

  it('keeps one accumulator per row of a sparse table: the mean squared gradient', () => {
    const table = sparseTable('emb', 3, 2, [1], (_row, col) => (col === 0 ? 3 : 4));
    const before0 = rowBits(table, 0);
    const before2 = rowBits(table, 2);
    const w = Array.from(table.value.subarray(2, 4));
    const adagrad = new Adagrad({ lr: 0.1 });
    adagrad.step([table]);
    const rate = 0.1 / Math.sqrt(12.5); // m = (9 + 16) / 2
    expectClose(table.value.subarray(2, 4), [w[0] - rate * 3, w[1] - rate * 4]);
    expect(rowBits(table, 0)).toEqual(before0);
    expect(rowBits(table, 2)).toEqual(before2);
    expect(Array.from(adagrad.state()['adagrad.sum.emb'])).toEqual([0, 12.5, 0]);
  });

  it('applies weight decay and the initial accumulator value', () => {
    const param = denseParam('w', [2], [1]);
    new Adagrad({ lr: 0.1, weightDecay: 0.5, initialAccumulatorValue: 0.25 }).step([param]);
    const g = 1 + 0.5 * 2;
    expectClose(param.value, [2 - (0.1 * g) / Math.sqrt(0.25 + g * g)]);
  });
});

describe('Adam', () => {
  it('takes the known bias-corrected steps', () => {
    const param = denseParam('w', [1], [1]);
    const adam = new Adam({ lr: 0.01 });
    adam.step([param]); // m_hat = g, v_hat = g^2: a step of lr * sign(g)
    expectClose(param.value, [0.99]);
    param.grad[0] = -1;
    adam.step([param]); // m = 0.09 - 0.1 = -0.01, m_hat = -0.01 / 0.19; v_hat = 0.001999 / 0.001999 = 1
    expectClose(param.value, [0.99 + 0.01 * (0.01 / 0.19)]);
    expectClose(adam.state()['adam.exp_avg.w'], [-0.01]);
    expectClose(adam.state()['adam.exp_avg_sq.w'], [0.001999]);
  });

  it('decouples weight decay by default and adds it to the gradient in l2 mode', () => {
    const decoupled = denseParam('w', [1], [0]);
    new Adam({ lr: 0.01, weightDecay: 0.1 }).step([decoupled]);
    expectClose(decoupled.value, [1 - 0.01 * 0.1]); // zero gradient: only the decay moves w
    const l2 = denseParam('w', [1], [0]);
    new Adam({ lr: 0.01, weightDecay: 0.1, weightDecayMode: 'l2' }).step([l2]);
    expectClose(l2.value, [0.99]); // g = 0.1 * w, so the first step is lr * sign(g)
  });

  it('rejects a sparse table before changing anything', () => {
    const dense = denseParam('w', [1], [1]);
    const table = sparseTable('emb', 2, 2, [0], () => 1);
    expect(() => new Adam({ lr: 0.1 }).step([dense, table])).toThrow(/"emb" is a sparse table/);
    expect(dense.value[0]).toBe(1);
  });
});

describe('parameter checks', () => {
  it('rejects an out-of-range touched row before updating any parameter', () => {
    const dense = denseParam('w', [1], [1]);
    const table = sparseTable('emb', 2, 2, [0], () => 1);
    table.sparse!.touchedRows[0] = 2;
    expect(() => new Sgd({ lr: 1 }).step([dense, table])).toThrow(/"emb": touchedRows\[0\] = 2 outside \[0, 2\)/);
    expect(dense.value[0]).toBe(1);
    table.sparse!.touchedCount = 5;
    expect(() => new Adagrad({ lr: 1 }).step([table])).toThrow(/touchedCount 5 outside \[0, 1\]/);
  });
});

describe('zeroGrad', () => {
  it('clears a dense gradient whole and only the touched rows of a sparse one', () => {
    const dense = denseParam('w', [1, 2], [3, 4]);
    const table = sparseTable('emb', 3, 2, [2], () => 5);
    table.grad.fill(7, 0, 2); // stale values on an untouched row stay: clearing them would cost O(table)
    new Sgd({ lr: 1 }).zeroGrad([dense, table]);
    expect(Array.from(dense.grad)).toEqual([0, 0]);
    expect(Array.from(table.grad)).toEqual([7, 7, 0, 0, 0, 0]);
    expect(table.sparse!.touchedCount).toBe(0);
    expect(Array.from(table.sparse!.touchedRows)).toEqual([2]);
  });
});

/** Naive twins: each optimizer's sparse update, one row at a time on plain arrays. */
function naiveSgdRow(w: number[], g: number[], lr: number, wd: number): number[] {
  return w.map((x, j) => Math.fround(x - lr * (g[j] + wd * x)));
}
function naiveRowWiseAdagrad(w: number[], g: number[], m: number, lr: number, wd: number, eps: number): { w: number[]; m: number } {
  const effective = w.map((x, j) => g[j] + wd * x);
  const next = Math.fround(m + effective.reduce((a, x) => a + x * x, 0) / w.length);
  return { w: w.map((x, j) => Math.fround(x - (lr / (Math.sqrt(next) + eps)) * effective[j])), m: next };
}

describe('sparse updates against naive twins', () => {
  const caseArb = fc.record({
    rows: fc.integer({ min: 1, max: 8 }),
    rowSize: fc.integer({ min: 1, max: 5 }),
    touchedMask: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    grads: fc.array(fc.float({ min: -4, max: 4, noNaN: true }), { minLength: 40, maxLength: 40 }),
    lr: fc.double({ min: 0.001, max: 1, noNaN: true }),
    wd: fc.constantFrom(0, 0.01, 0.5),
    steps: fc.integer({ min: 1, max: 3 }),
  });

  it('row-wise Adagrad and SGD change touched rows as the twins do and leave the rest bit-identical', () => {
    fc.assert(
      fc.property(caseArb, ({ rows, rowSize, touchedMask, grads, lr, wd, steps }) => {
        const touched = touchedMask.slice(0, rows).flatMap((on, row) => (on ? [row] : []));
        const table = sparseTable('emb', rows, rowSize, touched, (row, col) => grads[(row * rowSize + col) % grads.length]);
        const sgdTable = cloneParam(table);
        const before = Array.from({ length: rows }, (_, row) => rowBits(table, row));
        const expectedW = Array.from({ length: rows }, (_, row) => Array.from(table.value.subarray(row * rowSize, (row + 1) * rowSize)));
        const expectedSgd = expectedW.map((row) => [...row]);
        const expectedM = new Array(rows).fill(0);
        const adagrad = new Adagrad({ lr, weightDecay: wd });
        const sgd = new Sgd({ lr, weightDecay: wd });
        for (let s = 0; s < steps; s++) {
          adagrad.step([table]);
          sgd.step([sgdTable]);
          for (const row of touched) {
            const g = Array.from(table.grad.subarray(row * rowSize, (row + 1) * rowSize));
            const next = naiveRowWiseAdagrad(expectedW[row], g, expectedM[row], lr, wd, 1e-10);
            expectedW[row] = next.w;
            expectedM[row] = next.m;
            expectedSgd[row] = naiveSgdRow(expectedSgd[row], g, lr, wd);
          }
        }
        for (let row = 0; row < rows; row++) {
          if (!touched.includes(row)) {
            expect(rowBits(table, row)).toEqual(before[row]);
            expect(rowBits(sgdTable, row)).toEqual(before[row]);
          }
          expect(Array.from(table.value.subarray(row * rowSize, (row + 1) * rowSize))).toEqual(expectedW[row]);
          expect(Array.from(sgdTable.value.subarray(row * rowSize, (row + 1) * rowSize))).toEqual(expectedSgd[row]);
        }
        expect(Array.from(adagrad.state()['adagrad.sum.emb'])).toEqual(expectedM);
      }),
      { numRuns: 200 },
    );
  });
});

describe('optimizer state', () => {
  function model(): Parameter[] {
    return [sparseTable('emb', 5, 3, [4, 1], (row, col) => row - col), denseParam('mlp.w', [0.5, -0.25, 2], [0.1, -0.3, 0.7])];
  }
  function composite(): CompositeOptimizer {
    return new CompositeOptimizer({ sparse: new Adagrad({ lr: 0.05 }), dense: new Adam({ lr: linearWarmup(0.01, 3), weightDecay: 0.01 }) });
  }
  function copyState(state: OptimizerState): OptimizerState {
    return Object.fromEntries(Object.entries(state).map(([key, value]) => [key, new Float32Array(value)]));
  }

  it('routes tables and dense parameters to their own optimizers, with prefixed state keys', () => {
    const params = model();
    const optimizer = composite();
    optimizer.step(params);
    expect(Object.keys(optimizer.state()).sort()).toEqual([
      'dense/adam.exp_avg.mlp.w',
      'dense/adam.exp_avg_sq.mlp.w',
      'dense/adam.step',
      'sparse/adagrad.step',
      'sparse/adagrad.sum.emb',
    ]);
    expect(optimizer.state()['sparse/adagrad.sum.emb']).toHaveLength(5);
    expect(optimizer.stepCount).toBe(1);
  });

  it('resumes bit-identically from saved state', () => {
    const params = model();
    const optimizer = composite();
    for (let i = 0; i < 2; i++) optimizer.step(params);
    const saved = copyState(optimizer.state());
    const resumedParams = params.map(cloneParam);
    const resumed = composite();
    resumed.loadState(saved, resumedParams);
    expect(resumed.stepCount).toBe(2);
    for (let i = 0; i < 3; i++) {
      optimizer.step(params);
      resumed.step(resumedParams);
    }
    params.forEach((param, i) => expect(resumedParams[i].value).toEqual(param.value));
  });

  it('accepts state saved before the first step, when no slots exist yet', () => {
    const params = model();
    const fresh = composite();
    fresh.loadState(copyState(composite().state()), params);
    expect(fresh.stepCount).toBe(0);
  });

  it('keeps step counts beyond float32 integer range', () => {
    const sgd = new Sgd({ lr: 1 });
    sgd.loadState({ 'sgd.step': Float32Array.of(5, 2) }, []);
    expect(sgd.stepCount).toBe(2 * 2 ** 24 + 5);
    expect(Array.from(sgd.state()['sgd.step'])).toEqual([5, 2]);
  });

  it('rejects missing, mis-sized and unexpected entries and keeps its previous state', () => {
    const params = model();
    const optimizer = composite();
    optimizer.step(params);
    const good = copyState(optimizer.state());
    const before = copyState(optimizer.state());

    const missing = copyState(good);
    delete missing['dense/adam.exp_avg.mlp.w'];
    expect(() => optimizer.loadState(missing, params)).toThrow(/missing "adam.exp_avg.mlp.w" for parameter "mlp.w" after 1 steps/);

    const resized = copyState(good);
    resized['sparse/adagrad.sum.emb'] = new Float32Array(4);
    resized['dense/adam.exp_avg.mlp.w'] = new Float32Array(3).fill(42); // loads, then must be rolled back
    expect(() => optimizer.loadState(resized, params)).toThrow(/"adagrad.sum.emb": expected 5 values for parameter "emb" \(shape \[5, 3\]\), got 4/);

    const extra = copyState(good);
    extra['dense/adam.exp_avg.gone'] = new Float32Array(1);
    expect(() => optimizer.loadState(extra, params)).toThrow(/unexpected entry "adam.exp_avg.gone"/);

    expect(() => optimizer.loadState({ ...good, stray: new Float32Array(1) }, params)).toThrow(/key "stray" has neither/);
    expect(() => optimizer.loadState({}, params)).toThrow(/missing "adam.step"/);
    expect(() => new Sgd({ lr: 1 }).loadState({ 'sgd.step': Float32Array.of(0.5, 0) }, [])).toThrow(/expected \[step mod 2\^24/);

    expect(copyState(optimizer.state())).toEqual(before);
  });
});
