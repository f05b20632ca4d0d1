import { Rng } from '@recd/core';
import { AttentionEncoder, Dlrm, Linear, idsToRows, setGemmBackend, type DlrmConfig, type GemmBackend, type Parameter } from '@recd/dlrm';
import { attentionBackward, attentionForward } from '../src/model/attention';
import { attentionPooledBackwardTs, attentionPooledForwardTs } from '../src/model/attention-pooled';
import { attentionPooledBackwardWasm, attentionPooledForwardWasm } from '../src/wasm/attention-wasm';
import { requireWasmMath } from '../src/wasm/gemm-wasm';
import { HeapFloat32Buffer, HeapInt32Buffer } from '../src/wasm/wasm-heap';
import { denseGrad, jaggedOf, makeSessionData, maxAbs, maxAbsDiff, randomFloats } from './model-helpers';

afterEach(() => setGemmBackend('auto'));

function expectClose(label: string, actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance = 1e-5): void {
  const diff = maxAbsDiff(actual, expected);
  if (!(diff <= tolerance * Math.max(1e-6, maxAbs(expected)))) throw new Error(`${label}: differs by ${diff}, more than ${tolerance} x ${maxAbs(expected)}`);
}

describe('pooled attention kernels: WebAssembly against TypeScript', () => {
  const heap = requireWasmMath().heap;
  const floats = (values: Float32Array | number): Float32Array => {
    const view = new HeapFloat32Buffer(heap).view(typeof values === 'number' ? values : values.length);
    if (typeof values !== 'number') view.set(values);
    return view;
  };

  test.each([
    [4, [3, 0, 1, 6]],
    [17, [17, 5, 0, 2]],
    [64, [50, 1, 65, 3, 0]],
  ])('dim %i, sequence lengths %j: probabilities, pooled parts and gradients', (dim, lengths) => {
    const rng = new Rng(dim);
    const sequences = lengths.length;
    const tokenStart = new HeapInt32Buffer(heap).view(sequences + 1);
    const probStart = new HeapInt32Buffer(heap).view(sequences + 1);
    lengths.forEach((length, s) => {
      tokenStart[s + 1] = tokenStart[s] + length;
      probStart[s + 1] = probStart[s] + length * length;
    });
    const tokens = tokenStart[sequences];
    const maxLength = Math.max(...lengths);
    const queries = randomFloats(rng, tokens * dim, 2);
    const x = randomFloats(rng, tokens * dim);
    const gradAttended = randomFloats(rng, sequences * dim);
    const gradMean = randomFloats(rng, sequences * dim);

    const ts = {
      probs: new Float32Array(probStart[sequences]), weights: new Float32Array(tokens),
      attended: new Float32Array(sequences * dim), mean: new Float32Array(sequences * dim),
      gradQueries: new Float32Array(tokens * dim), gradX: new Float32Array(tokens * dim),
    };
    attentionPooledForwardTs(sequences, dim, tokenStart, probStart, queries, x, ts.probs, ts.weights, ts.attended, ts.mean);
    attentionPooledBackwardTs(
      sequences, dim, tokenStart, probStart, queries, x, ts.probs, ts.weights, gradAttended, gradMean,
      ts.gradQueries, ts.gradX, new Float32Array(maxLength * (maxLength + 1)),
    );

    const wasm = {
      probs: floats(probStart[sequences]), weights: floats(tokens), attended: floats(sequences * dim).fill(NaN),
      mean: floats(sequences * dim).fill(NaN), gradQueries: floats(tokens * dim), gradX: floats(tokens * dim),
    };
    const [q, xs] = [floats(queries), floats(x)];
    attentionPooledForwardWasm(sequences, dim, tokenStart, probStart, q, xs, wasm.probs, wasm.weights, wasm.attended, wasm.mean);
    attentionPooledBackwardWasm(
      sequences, dim, tokenStart, probStart, q, xs, wasm.probs, wasm.weights, floats(gradAttended), floats(gradMean),
      wasm.gradQueries, wasm.gradX, floats(maxLength * (maxLength + 1)),
    );
    for (const key of Object.keys(ts) as (keyof typeof ts)[]) expectClose(key, wasm[key], ts[key]);
    // every probability row sums to 1, and so do each sequence's weights
    lengths.forEach((length, s) => {
      if (length === 0) return;
      let total = 0;
      for (let t = tokenStart[s]; t < tokenStart[s + 1]; t++) total += wasm.weights[t];
      expect(total).toBeCloseTo(1, 5);
    });
  });
});

/**
 * The encoder written out the unfused way, for one backend: q, k, v by three Linear layers,
 * attention per sequence (attention.ts: O = P V and its full backward), residual, mean, projection.
 * Returns the output and every parameter's gradient (tables dense).
 */
function unfusedEncoder(encoder: AttentionEncoder, sequences: readonly (readonly bigint[])[], gradOutput: Float32Array): { output: Float32Array; grads: Map<string, Float64Array> } {
  const d = encoder.dim;
  const copy = (layer: Linear): Linear => {
    const twin = new Linear('twin', layer.inFeatures, layer.outFeatures, new Rng(0));
    twin.weight.value.set(layer.weight.value);
    twin.bias.value.set(layer.bias.value);
    return twin;
  };
  const [query, key, value, projection] = [copy(encoder.query), copy(encoder.key), copy(encoder.value), copy(encoder.projection)];
  const lengths = sequences.map((ids) => Math.min(ids.length, encoder.maxLength));
  const starts = [0];
  for (const length of lengths) starts.push(starts[starts.length - 1] + length);
  const tokens = starts[starts.length - 1];
  const rows = new Int32Array(tokens);
  sequences.forEach((ids, s) => idsToRows(BigInt64Array.from(ids), 0, lengths[s], encoder.table.rows, rows.subarray(starts[s])));
  const x = new Float32Array(tokens * d);
  lengths.forEach((length, s) => {
    for (let t = 0; t < length; t++) {
      for (let j = 0; j < d; j++) x[(starts[s] + t) * d + j] = encoder.table.value[rows[starts[s] + t] * d + j] + encoder.position.value[t * d + j];
    }
  });
  const q = Float32Array.from(query.forward(x, tokens));
  const k = Float32Array.from(key.forward(x, tokens));
  const v = Float32Array.from(value.forward(x, tokens));
  const probs = lengths.map((length) => new Float32Array(length * length));
  const attended = new Float32Array(tokens * d);
  const slice = (values: Float32Array, s: number): Float32Array => values.subarray(starts[s] * d, starts[s + 1] * d);
  lengths.forEach((length, s) => length > 0 && attentionForward(length, d, slice(q, s), slice(k, s), slice(v, s), probs[s], slice(attended, s)));
  const pooled = new Float32Array(sequences.length * d);
  lengths.forEach((length, s) => {
    for (let t = starts[s]; t < starts[s + 1]; t++) for (let j = 0; j < d; j++) pooled[s * d + j] += (x[t * d + j] + attended[t * d + j]) / length;
  });
  const output = Float32Array.from(projection.forward(pooled, sequences.length));

  const gradPooled = projection.backward(gradOutput);
  const gradH = new Float32Array(tokens * d);
  lengths.forEach((length, s) => {
    for (let t = starts[s]; t < starts[s + 1]; t++) for (let j = 0; j < d; j++) gradH[t * d + j] = gradPooled[s * d + j] / length;
  });
  const [gradQ, gradK, gradV] = [new Float32Array(tokens * d), new Float32Array(tokens * d), new Float32Array(tokens * d)];
  lengths.forEach((length, s) => {
    if (length > 0) attentionBackward(length, d, slice(q, s), slice(k, s), slice(v, s), probs[s], slice(gradH, s), slice(gradQ, s), slice(gradK, s), slice(gradV, s), new Float32Array(length * length));
  });
  const gradX = Float32Array.from(gradH);
  for (const [layer, grad] of [[query, gradQ], [key, gradK], [value, gradV]] as const) {
    const gradInput = layer.backward(grad);
    for (let i = 0; i < gradX.length; i++) gradX[i] += gradInput[i];
  }
  const tableGrad = new Float64Array(encoder.table.value.length);
  const positionGrad = new Float64Array(encoder.position.value.length);
  lengths.forEach((length, s) => {
    for (let t = 0; t < length; t++) {
      for (let j = 0; j < d; j++) {
        tableGrad[rows[starts[s] + t] * d + j] += gradX[(starts[s] + t) * d + j];
        positionGrad[t * d + j] += gradX[(starts[s] + t) * d + j];
      }
    }
  });
  const name = (suffix: string): string => encoder.position.name.replace(/position$/, suffix);
  const grads = new Map<string, Float64Array>([[encoder.table.parameter.name, tableGrad], [encoder.position.name, positionGrad]]);
  for (const [label, layer] of [['query', query], ['key', key], ['value', value], ['projection', projection]] as const) {
    grads.set(name(`${label}.weight`), Float64Array.from(layer.weight.grad));
    grads.set(name(`${label}.bias`), Float64Array.from(layer.bias.grad));
  }
  return { output, grads };
}

describe('AttentionEncoder (merged scores, no O or V) against the unfused computation', () => {
  const SEQUENCES = [[1n, 2n, 3n], [], [4n, -5n, 2n ** 60n, 7n, 8n, 9n, 10n, 11n, 12n, 13n], [12n], [3n, 14n, 3n, -1n, 5n]];

  test.each(['wasm', 'ts'] as GemmBackend[])('%s: output and every gradient', (backend) => {
    setGemmBackend(backend);
    const rng = new Rng(21);
    const encoder = new AttentionEncoder('seq', { tableSize: 11, dim: 6, maxLength: 8, outFeatures: 5 }, rng);
    // larger values than the default init so that attention is far from uniform
    for (const param of encoder.parameters()) param.value.set(randomFloats(rng, param.value.length, 0.7));
    const gradOutput = randomFloats(rng, SEQUENCES.length * 5);
    const output = Float32Array.from(encoder.forward(jaggedOf(SEQUENCES)));
    encoder.backward(gradOutput);
    const reference = unfusedEncoder(encoder, SEQUENCES, gradOutput);
    expectClose('output', output, reference.output);
    const largest = Math.max(...[...reference.grads.values()].map(maxAbs));
    for (const param of encoder.parameters()) {
      const expected = reference.grads.get(param.name)!;
      // bk shifts a whole row of scores, which softmax ignores: its gradient is 0 exactly
      if (param.name.endsWith('key.bias')) {
        expect(maxAbs(denseGrad(param))).toBe(0);
        expect(maxAbs(expected)).toBeLessThanOrEqual(1e-6 * largest);
        continue;
      }
      expectClose(param.name, denseGrad(param), expected, 2e-5);
    }
  });
});

describe('the whole model on both backends', () => {
  function lossAndGrads(config: DlrmConfig, backend: GemmBackend, data: ReturnType<typeof makeSessionData>): { loss: number; grads: Map<string, Float64Array> } {
    setGemmBackend(backend);
    const model = new Dlrm(config);
    const batch = { size: data.size, labels: data.labels, dense: data.dense, sparse: data.sampleKjt, sessionSparse: data.sessionKjt };
    const loss = model.lossAndBackward(batch);
    return { loss, grads: new Map(model.parameters().map((p: Parameter) => [p.name, denseGrad(p)])) };
  }

  test.each(['attention', 'mean-mlp'] as const)('%s encoders: wasm and TypeScript give the same loss and gradients', (encoder) => {
    const data = makeSessionData({ size: 37, seed: 3, dense: 5, maxLength: 9 });
    const config: DlrmConfig = {
      dense: 5,
      sparse: data.sampleKeys.map((name, f) => ({ name, tableSize: 40 + f })),
      sequence: data.sequenceKeys.map((name, f) => ({ name, tableSize: 60 + f, maxLength: 9, encoder })),
      embeddingDim: 12,
      bottomMlp: [20, 12],
      topMlp: [17, 9, 1],
      seed: 4,
    };
    const wasm = lossAndGrads(config, 'wasm', data);
    const ts = lossAndGrads(config, 'ts', data);
    expect(Math.abs(wasm.loss - ts.loss)).toBeLessThanOrEqual(1e-6 * Math.abs(ts.loss));
    for (const [name, grad] of ts.grads) expectClose(name, wasm.grads.get(name)!, grad, 1e-5);
  });
});
