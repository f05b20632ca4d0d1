import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecdError } from '@recd/core';
import { CheckpointError, decodeSafetensors, encodeSafetensors, loadCheckpoint, loadSafetensors, saveCheckpoint, saveSafetensors, type Tensor } from '../src/checkpoint';
import { Adagrad, Adam, CompositeOptimizer } from '../src/optim';
import { parameter, type Parameter } from '../src/parameter';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'recd-checkpoint-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A file from a header object and raw data bytes; `declaredLength` overrides the length prefix. */
function craft(header: unknown, data: number[] = [], declaredLength?: number): Uint8Array {
  const json = new TextEncoder().encode(typeof header === 'string' ? header : JSON.stringify(header));
  const bytes = new Uint8Array(8 + json.length + data.length);
  new DataView(bytes.buffer).setBigUint64(0, BigInt(declaredLength ?? json.length), true);
  bytes.set(json, 8);
  bytes.set(data, 8 + json.length);
  return bytes;
}

const f32 = (shape: number[], offsets: [number, number]) => ({ dtype: 'F32', shape, data_offsets: offsets });

describe('safetensors layout', () => {
  it('writes the bytes the spec prescribes (checked by hand)', () => {
    const bytes = encodeSafetensors({ a: { dtype: 'F32', shape: [2], data: Float32Array.of(1, -2) } }, { k: 'v' });
    const json = '{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}'; // 79 bytes
    const expected = [
      ...[80, 0, 0, 0, 0, 0, 0, 0], // u64 LE header length: 79 padded to a multiple of 8
      ...Array.from(json, (c) => c.charCodeAt(0)),
      0x20, // one space of padding
      ...[0x00, 0x00, 0x80, 0x3f], // 1.0f LE
      ...[0x00, 0x00, 0x00, 0xc0], // -2.0f LE
    ];
    expect(Array.from(bytes)).toEqual(expected);
  });

  it('puts 8-byte dtypes first, then sorts by name, so every tensor is aligned', () => {
    const bytes = encodeSafetensors({
      b: { dtype: 'I32', shape: [1], data: Int32Array.of(7) },
      a: { dtype: 'F32', shape: [], data: Float32Array.of(0.5) },
      z: { dtype: 'I64', shape: [1], data: BigInt64Array.of(-1n) },
    });
    const headerLength = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    expect(header).toEqual({
      z: { dtype: 'I64', shape: [1], data_offsets: [0, 8] },
      a: { dtype: 'F32', shape: [], data_offsets: [8, 12] },
      b: { dtype: 'I32', shape: [1], data_offsets: [12, 16] },
    });
    expect(bytes.length).toBe(8 + headerLength + 16);
  });
});

describe('saveSafetensors / loadSafetensors', () => {
  const tensors: Record<string, Tensor> = {
    weights: { dtype: 'F32', shape: [2, 3], data: Float32Array.of(1, -2, 3.5, NaN, -0, Infinity) },
    ids: { dtype: 'I64', shape: [3], data: BigInt64Array.of(-(2n ** 63n), 2n ** 63n - 1n, 2n ** 53n + 1n) },
    counts: { dtype: 'I32', shape: [2], data: Int32Array.of(-(2 ** 31), 2 ** 31 - 1) },
    scalar: { dtype: 'F32', shape: [], data: Float32Array.of(42) },
    empty: { dtype: 'F32', shape: [0, 4], data: new Float32Array(0) },
  };

  it('round-trips every dtype, scalars, empty tensors and metadata, as views of one buffer', async () => {
    const path = join(dir, 'all.safetensors');
    await saveSafetensors(path, tensors, { note: 'héllo', json: '{"a":1}' });
    const loaded = await loadSafetensors(path);
    expect({ ...loaded.metadata }).toEqual({ note: 'héllo', json: '{"a":1}' });
    expect(Object.keys(loaded.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, tensor] of Object.entries(tensors)) {
      const got = loaded.tensors[name];
      expect(got.dtype).toBe(tensor.dtype);
      expect(got.shape).toEqual(tensor.shape);
      expect(got.data).toEqual(tensor.data);
    }
    expect(Object.is(loaded.tensors.weights.data[4], -0)).toBe(true);
    const buffers = new Set(Object.values(loaded.tensors).map((t) => t.data.buffer));
    expect(buffers.size).toBe(1);
    expect(await readdir(dir)).toEqual(['all.safetensors']); // no temporary file left behind
  });

  it('replaces an existing file atomically and leaves it alone when the input is invalid', async () => {
    const path = join(dir, 'x.safetensors');
    await saveSafetensors(path, { a: { dtype: 'F32', shape: [1], data: Float32Array.of(1) } });
    const before = await readFile(path);
    const bad = { a: { dtype: 'F32', shape: [2], data: Float32Array.of(1) } } as const;
    await expect(saveSafetensors(path, bad)).rejects.toThrow(/tensor "a": shape \[2\] has 2 elements but data has 1/);
    expect(await readFile(path)).toEqual(before);
    await saveSafetensors(path, { a: { dtype: 'F32', shape: [1], data: Float32Array.of(2) } });
    expect((await loadSafetensors(path)).tensors.a.data[0]).toBe(2);
    expect(await readdir(dir)).toEqual(['x.safetensors']);
  });

  it('rejects bad tensors on save', () => {
    expect(() => encodeSafetensors({ a: { dtype: 'F32', shape: [1], data: Int32Array.of(1) } as unknown as Tensor })).toThrow(/dtype F32 needs a Float32Array, got Int32Array/);
    expect(() => encodeSafetensors({ __metadata__: { dtype: 'F32', shape: [0], data: new Float32Array(0) } })).toThrow(/reserved/);
    expect(() => encodeSafetensors({ a: { dtype: 'F16', shape: [0], data: new Float32Array(0) } as unknown as Tensor })).toThrow(/unknown dtype "F16"/);
    expect(() => encodeSafetensors({ a: { dtype: 'F32', shape: [-1], data: new Float32Array(0) } })).toThrow(/shape must be non-negative integers/);
  });

  it('copies instead of viewing when the bytes are not aligned', () => {
    const file = encodeSafetensors({ a: { dtype: 'F32', shape: [2], data: Float32Array.of(1.5, -3) } });
    const shifted = new Uint8Array(file.length + 1);
    shifted.set(file, 1);
    const { tensors } = decodeSafetensors(shifted.subarray(1));
    expect(Array.from(tensors.a.data as Float32Array)).toEqual([1.5, -3]);
    expect(tensors.a.data.buffer).not.toBe(shifted.buffer);
  });

  it('reads a file whose writer left an 8-byte tensor at a 4-byte offset (legal: no padding between tensors)', async () => {
    // As a Python writer may lay it out: F32[3] at [0, 12), then I64[2] at [12, 28).
    const data = new Uint8Array(28);
    new Float32Array(data.buffer, 0, 3).set([1.5, -2, 3]);
    new DataView(data.buffer).setBigInt64(12, 2n ** 62n, true);
    new DataView(data.buffer).setBigInt64(20, -5n, true);
    const header = { a: f32([3], [0, 12]), b: { dtype: 'I64', shape: [2], data_offsets: [12, 28] } };
    const json = JSON.stringify(header).padEnd(Math.ceil(JSON.stringify(header).length / 8) * 8, ' ');
    const path = join(dir, 'python.safetensors');
    await writeFile(path, craft(json, Array.from(data)));
    const { tensors } = await loadSafetensors(path);
    expect(Array.from(tensors.a.data as Float32Array)).toEqual([1.5, -2, 3]);
    expect(Array.from(tensors.b.data as BigInt64Array)).toEqual([2n ** 62n, -5n]);
  });
});

describe('safetensors errors', () => {
  const decodeError = (bytes: Uint8Array) => {
    try {
      decodeSafetensors(bytes, 'f.safetensors');
    } catch (error) {
      expect(error).toBeInstanceOf(CheckpointError);
      expect(error).toBeInstanceOf(RecdError);
      return (error as Error).message;
    }
    throw new Error('expected decodeSafetensors to throw');
  };
  const twoFloats = [0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0];

  it('reports a file too short for the length prefix', () => {
    expect(decodeError(new Uint8Array(5))).toMatch(/^f\.safetensors: truncated: 5 bytes, but a safetensors file starts with an 8-byte header length$/);
  });

  it('reports a header length beyond the file', () => {
    expect(decodeError(craft({}, [], 1000))).toMatch(/header length 1000 runs past the end of the file \(2 bytes follow/);
    expect(decodeError(craft({}, [], 2 ** 53))).toMatch(/header length 9007199254740992 runs past/);
  });

  it('reports a header that is not a JSON object', () => {
    expect(decodeError(craft('{"a": '))).toMatch(/header is not UTF-8 JSON/);
    expect(decodeError(craft('[1, 2]'))).toMatch(/header must be a JSON object, got "\[1, 2\]"/);
    expect(decodeError(craft({ __metadata__: { k: 1 } }))).toMatch(/"__metadata__" entry "k" must be a string/);
  });

  it('reports an unknown dtype', () => {
    expect(decodeError(craft({ a: { dtype: 'F16', shape: [4], data_offsets: [0, 8] } }, twoFloats))).toMatch(/tensor "a": unsupported dtype "F16" \(supported: F32, I32, I64\)/);
  });

  it('reports a shape that does not match the byte span', () => {
    expect(decodeError(craft({ a: f32([3], [0, 8]) }, twoFloats))).toMatch(/tensor "a": shape \[3\] of F32 needs 12 bytes but data_offsets \[0, 8\] span 8/);
    expect(decodeError(craft({ a: { dtype: 'F32', shape: [1.5], data_offsets: [0, 8] } }, twoFloats))).toMatch(/shape must be an array of non-negative integers/);
  });

  it('reports offsets out of range, as in a file truncated inside its data', () => {
    const whole = encodeSafetensors({ a: { dtype: 'F32', shape: [2], data: Float32Array.of(1, 2) } });
    expect(decodeError(whole.subarray(0, whole.length - 3))).toMatch(/tensor "a": data_offsets \[0, 8\] run past the 5-byte data section \(truncated\?\)/);
    expect(decodeError(craft({ a: { dtype: 'F32', shape: [0], data_offsets: [8, 4] } }, twoFloats))).toMatch(/data_offsets must be \[begin, end\] with 0 <= begin <= end/);
  });

  it('reports overlapping offsets, holes and uncovered bytes', () => {
    expect(decodeError(craft({ a: f32([2], [0, 8]), b: f32([1], [4, 8]) }, twoFloats))).toMatch(/tensors "a" \[0, 8\] and "b" \[4, 8\] overlap/);
    expect(decodeError(craft({ a: f32([1], [4, 8]) }, twoFloats))).toMatch(/data bytes \[0, 4\) belong to no tensor/);
    expect(decodeError(craft({ a: f32([1], [0, 4]) }, twoFloats))).toMatch(/data section has 8 bytes but the tensors cover only 4/);
  });

  it('names the file when it cannot be read', async () => {
    await expect(loadSafetensors(join(dir, 'missing.safetensors'))).rejects.toThrow(/cannot read safetensors file ".*missing\.safetensors": ENOENT/);
  });
});

describe('saveCheckpoint / loadCheckpoint', () => {
  function model(): Parameter[] {
    const table = parameter('emb.user', [4, 2]);
    table.value.set([1, 2, 3, 4, 5, 6, 7, 8]);
    table.grad.set([0.1, 0.2, 0, 0, 0, 0, -0.3, 0.4]);
    table.sparse = { rowSize: 2, touchedRows: Int32Array.of(0, 3), touchedCount: 2 };
    const weight = parameter('top.0.weight', [2, 3]);
    weight.value.set([0.5, -0.5, 0.25, 1, 2, 3]);
    weight.grad.set([0.1, 0.2, 0.3, -0.1, -0.2, -0.3]);
    return [table, weight];
  }
  const optimizer = () => new CompositeOptimizer({ sparse: new Adagrad({ lr: 0.1 }), dense: new Adam({ lr: 0.01 }) });

  it('restores values, optimizer state and metadata so training resumes identically', async () => {
    const path = join(dir, 'ckpt.safetensors');
    const params = model();
    const trained = optimizer();
    trained.step(params);
    trained.step(params);
    await saveCheckpoint(path, params, trained.state(), { step: 2, epoch: 1, config: { lr: 0.01, tables: ['user'] } });

    const restored = model().map((p) => ({ ...p, value: new Float32Array(p.value.length) }));
    const resumed = optimizer();
    const metadata = await loadCheckpoint(path, restored, resumed);
    expect(metadata).toEqual({ step: 2, epoch: 1, config: { lr: 0.01, tables: ['user'] } });
    expect(resumed.stepCount).toBe(2);
    restored.forEach((p, i) => expect(p.value).toEqual(params[i].value));
    trained.step(params);
    resumed.step(restored);
    restored.forEach((p, i) => expect(p.value).toEqual(params[i].value));

    const { tensors } = await loadSafetensors(path);
    expect(tensors['param/top.0.weight'].shape).toEqual([2, 3]);
    expect(Object.keys(tensors).filter((k) => k.startsWith('optim/')).sort()).toEqual([
      'optim/dense/adam.exp_avg.top.0.weight',
      'optim/dense/adam.exp_avg_sq.top.0.weight',
      'optim/dense/adam.step',
      'optim/sparse/adagrad.step',
      'optim/sparse/adagrad.sum.emb.user',
    ]);
  });

  it('rejects a missing, mis-shaped or unexpected parameter without changing any', async () => {
    const path = join(dir, 'ckpt.safetensors');
    await saveCheckpoint(path, model(), undefined, { step: 0, epoch: 0 });
    const extra = [...model(), parameter('bottom.0.bias', [3])];
    await expect(loadCheckpoint(path, extra)).rejects.toThrow(/missing tensor "param\/bottom\.0\.bias" for parameter "bottom\.0\.bias"/);
    const reshaped = [parameter('emb.user', [2, 4]), parameter('top.0.weight', [2, 3])];
    await expect(loadCheckpoint(path, reshaped)).rejects.toThrow(/tensor "param\/emb\.user": expected shape \[2, 4\], got \[4, 2\]/);
    expect(reshaped.every((p) => p.value.every((x) => x === 0))).toBe(true);
    const fewer = [parameter('top.0.weight', [2, 3])];
    await expect(loadCheckpoint(path, fewer)).rejects.toThrow(/unexpected tensor "param\/emb\.user" matches no parameter/);
    await loadCheckpoint(path, fewer, undefined, { strict: false });
    expect(fewer[0].value[5]).toBe(3);
  });

  it('rejects optimizer state that does not fit, leaving parameters untouched', async () => {
    const path = join(dir, 'ckpt.safetensors');
    const params = model();
    const trained = optimizer();
    trained.step(params);
    await saveCheckpoint(path, params, trained.state(), { step: 1, epoch: 0 });
    const target = model();
    const before = target.map((p) => new Float32Array(p.value));
    await expect(loadCheckpoint(path, target, new Adam({ lr: 0.1 }))).rejects.toThrow(/sparse table "emb\.user"/);
    await expect(loadCheckpoint(path, target.slice(1), optimizer(), { strict: false })).rejects.toThrow(/unexpected entry "adagrad\.sum\.emb\.user"/);
    target.forEach((p, i) => expect(p.value).toEqual(before[i]));
    await saveCheckpoint(path, params, undefined, { step: 1, epoch: 0 });
    await expect(loadCheckpoint(path, target, optimizer())).rejects.toThrow(/missing "adam\.step"/);
  });

  it('refuses files that are not recd checkpoints and bad metadata', async () => {
    const path = join(dir, 'plain.safetensors');
    await saveSafetensors(path, { a: { dtype: 'F32', shape: [1], data: Float32Array.of(1) } });
    await expect(loadCheckpoint(path, [])).rejects.toThrow(/not a recd checkpoint \(metadata "recd.format" is undefined/);
    await expect(saveCheckpoint(path, [], undefined, { step: -1, epoch: 0 })).rejects.toThrow(/step must be an integer >= 0, got -1/);
    const twice = [parameter('w', [1]), parameter('w', [1])];
    await expect(saveCheckpoint(path, twice, undefined, { step: 0, epoch: 0 })).rejects.toThrow(/two parameters are named "w"/);
    await writeFile(path, new Uint8Array(3));
    await expect(loadCheckpoint(path, [])).rejects.toThrow(CheckpointError);
  });
});
