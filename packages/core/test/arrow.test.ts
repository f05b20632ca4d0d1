import fc from 'fast-check';
import { Data, RecordBatch, Schema, Struct, makeData, tableFromIPC, tableToIPC, Table } from 'apache-arrow';
import {
  ArrowBatch,
  IdType,
  InverseKeyedJaggedTensor,
  JaggedShapeError,
  JaggedTensor,
  KeyedJaggedTensor,
  SchemaError,
  arrowBatchLayout,
  decodeBatchArrow,
  decodeBatchesIpc,
  dedup,
  encodeBatchArrow,
  encodeBatchesIpc,
  idsFrom,
  makeSessionBatch,
  validateIkjt,
  validateKjt,
} from '@recd/core';

const INT64_EDGES = [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n];

function kjtOf(keys: string[], rows: Array<Array<number | bigint>>, options: { weights?: number[][]; idType?: IdType; stride?: number } = {}): KeyedJaggedTensor {
  return KeyedJaggedTensor.fromLengths({
    keys,
    values: idsFrom(options.idType ?? 'int64', rows.flat()),
    lengths: Int32Array.from(rows.map((row) => row.length)),
    weights: options.weights ? Float32Array.from(options.weights.flat()) : undefined,
    stride: options.stride,
  });
}

/** Same tensor kind, keys, rows, ids, weights (bitwise), inverse indices, labels and dense. */
function expectSameBatch(actual: ArrowBatch, expected: ArrowBatch): void {
  const { sparse } = expected;
  if (sparse instanceof KeyedJaggedTensor) {
    expect(actual.sparse).toBeInstanceOf(KeyedJaggedTensor);
    validateKjt(actual.sparse as KeyedJaggedTensor);
    expect((actual.sparse as KeyedJaggedTensor).equals(sparse)).toBe(true);
  } else {
    expect(actual.sparse).toBeInstanceOf(InverseKeyedJaggedTensor);
    const ikjt = actual.sparse as InverseKeyedJaggedTensor;
    validateIkjt(ikjt);
    expect(ikjt.keys).toEqual(sparse.keys);
    expect(ikjt.batchSize).toBe(sparse.batchSize);
    expect(ikjt.passthrough.equals(sparse.passthrough)).toBe(true);
    expect(ikjt.groups.length).toBe(sparse.groups.length);
    ikjt.groups.forEach((group, g) => {
      expect(group.keys).toEqual(sparse.groups[g].keys);
      expect(group.unique.equals(sparse.groups[g].unique)).toBe(true);
      expect(Array.from(group.inverse)).toEqual(Array.from(sparse.groups[g].inverse));
    });
    expect(ikjt.expand().equals(sparse.expand())).toBe(true);
  }
  expect(bits(actual.labels)).toEqual(bits(expected.labels));
  expect(bits(actual.dense)).toEqual(bits(expected.dense));
  expect(actual.numDense).toBe(arrowBatchLayout(expected).numDense ?? undefined);
}

/** Float bit patterns, so -0 and NaN compare exactly. */
function bits(array: Float32Array | undefined): number[] | undefined {
  return array && Array.from(new Int32Array(array.buffer, array.byteOffset, array.length));
}

function roundTripInMemory(batch: ArrowBatch): ArrowBatch {
  return decodeBatchArrow(encodeBatchArrow(batch));
}

function roundTripIpc(batch: ArrowBatch): ArrowBatch {
  const decoded = decodeBatchesIpc(encodeBatchesIpc([batch]));
  expect(decoded).toHaveLength(1);
  return decoded[0];
}

// ---- random batches -------------------------------------------------------------------------

const idArb = (idType: IdType): fc.Arbitrary<bigint> =>
  idType === 'int32'
    ? fc.oneof(fc.integer({ min: -2, max: 2 }), fc.integer()).map(BigInt)
    : fc.oneof(fc.constantFrom(...INT64_EDGES), fc.bigInt({ min: -2n, max: 2n }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
const floatArb = fc.oneof(fc.constantFrom(0, -0, 1, Number.NaN), fc.float());

/** A random batch: keys drawing rows from small pools (so dedup finds repeats), random groups, maybe labels and dense. */
const batchArb: fc.Arbitrary<{ batch: ArrowBatch; kjt: KeyedJaggedTensor; groups: string[][] }> = fc
  .record({
    numKeys: fc.integer({ min: 0, max: 4 }),
    stride: fc.integer({ min: 0, max: 10 }),
    idType: fc.constantFrom<IdType>('int32', 'int64'),
    weighted: fc.boolean(),
    numDense: fc.option(fc.integer({ min: 0, max: 3 })),
    labels: fc.boolean(),
    dedup: fc.boolean(),
  })
  .chain((shape) => {
    const rowArb = fc.array(fc.tuple(idArb(shape.idType), floatArb), { maxLength: 3 });
    return fc.record({
      shape: fc.constant(shape),
      pools: fc.array(fc.array(rowArb, { minLength: 1, maxLength: 3 }), { minLength: shape.numKeys, maxLength: shape.numKeys }),
      picks: fc.array(fc.nat(), { minLength: shape.numKeys * shape.stride, maxLength: shape.numKeys * shape.stride }),
      groupOf: fc.array(fc.integer({ min: -1, max: 2 }), { minLength: shape.numKeys, maxLength: shape.numKeys }),
      labels: fc.array(floatArb, { minLength: shape.stride, maxLength: shape.stride }),
      dense: fc.array(floatArb, { minLength: shape.stride * (shape.numDense ?? 0), maxLength: shape.stride * (shape.numDense ?? 0) }),
    });
  })
  .map(({ shape, pools, picks, groupOf, labels, dense }) => {
    const keys = Array.from({ length: shape.numKeys }, (_, k) => `f${k}`);
    const rows = keys.flatMap((_, k) => Array.from({ length: shape.stride }, (_, i) => pools[k][picks[k * shape.stride + i] % pools[k].length]));
    const kjt = kjtOf(
      keys,
      rows.map((row) => row.map(([id]) => id)),
      { idType: shape.idType, weights: shape.weighted ? rows.map((row) => row.map(([, w]) => w)) : undefined, stride: shape.stride },
    );
    const groups = [0, 1, 2].map((g) => keys.filter((_, k) => groupOf[k] === g)).filter((group) => group.length > 0);
    const batch: ArrowBatch = { sparse: shape.dedup ? dedup(kjt, groups) : kjt };
    if (shape.labels) batch.labels = Float32Array.from(labels);
    if (shape.numDense !== null) {
      batch.dense = Float32Array.from(dense);
      batch.numDense = shape.numDense;
    }
    return { batch, kjt, groups };
  });

describe('Arrow round trip (property)', () => {
  it('decode(encode(batch)) gives the batch back, in memory and through IPC', () => {
    fc.assert(
      fc.property(batchArb, ({ batch }) => {
        expectSameBatch(roundTripInMemory(batch), batch);
        expectSameBatch(roundTripIpc(batch), batch);
      }),
      { numRuns: 300 },
    );
  });

  it('a stream of several random batches with one layout comes back in order', () => {
    fc.assert(
      fc.property(batchArb, fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 4 }), ({ batch, kjt, groups }, ends) => {
        // batches of several sizes with the same layout: prefixes of one batch
        const batches = ends.map((end) => {
          const rows = Math.min(end, kjt.stride);
          const part = kjt.sliceRows(0, rows);
          const sparse = batch.sparse instanceof KeyedJaggedTensor ? part : dedup(part, groups);
          const numDense = batch.numDense;
          return { sparse, labels: batch.labels?.subarray(0, rows), dense: batch.dense?.subarray(0, rows * (numDense ?? 0)), numDense: batch.dense ? numDense : undefined };
        });
        const decoded = decodeBatchesIpc(encodeBatchesIpc(batches));
        expect(decoded).toHaveLength(batches.length);
        decoded.forEach((actual, b) => expectSameBatch(actual, batches[b]));
      }),
      { numRuns: 100 },
    );
  });
});

// ---- worked example and edge cases ----------------------------------------------------------

describe('Arrow encoding of the TorchRec example', () => {
  // "f0": [0,1] [] [2]     "f1": [3] [4] [5,6,7]
  const kjt = kjtOf(['f0', 'f1'], [[0, 1], [], [2], [3], [4], [5, 6, 7]]);

  it('has one row per sample and one List<Int64> column per key', () => {
    const recordBatch = encodeBatchArrow({ sparse: kjt, labels: new Float32Array([1, 0, 1]), dense: new Float32Array(6), numDense: 2 });
    expect(recordBatch.numRows).toBe(3);
    expect(recordBatch.schema.fields.map((field) => `${field.name}: ${field.type}`)).toEqual([
      'label: Float32',
      'dense: FixedSizeList[2]<Float32>',
      'f0: List<Int64>',
      'f1: List<Int64>',
    ]);
    expect(recordBatch.getChild('f1')!.toArray().map((row: BigInt64Array) => Array.from(row))).toEqual([[3n], [4n], [5n, 6n, 7n]]);
  });

  it('pads a group to the batch with null rows after the unique rows', () => {
    const sessions = kjtOf(['item', 'user'], [[10], [11], [12], [7, 8], [7, 8], [9]]);
    const ikjt = dedup(sessions, [['user']]);
    const recordBatch = encodeBatchArrow({ sparse: ikjt });
    expect(recordBatch.schema.fields.map((field) => field.name)).toEqual(['item', 'inverse:0', 'user']);
    expect(Array.from(recordBatch.getChild('inverse:0')!.toArray() as Int32Array)).toEqual([0, 0, 1]);
    const user = recordBatch.getChild('user')!;
    expect(user.nullCount).toBe(1);
    expect(user.toArray().map((row: BigInt64Array | null) => row && Array.from(row))).toEqual([[7n, 8n], [9n], null]);
    expect(Array.from(user.data[0].valueOffsets)).toEqual([0, 2, 3, 3]);
  });
});

describe('Arrow edge cases round-trip exactly', () => {
  const cases: Array<[string, () => ArrowBatch]> = [
    ['an empty KJT batch (B=0)', () => ({ sparse: KeyedJaggedTensor.empty(['a', 'b']), labels: new Float32Array(0), dense: new Float32Array(0), numDense: 4 })],
    ['an empty IKJT batch (B=0)', () => ({ sparse: dedup(KeyedJaggedTensor.empty(['a', 'b'], { weighted: true }), [['b']]) })],
    ['a KJT with zero keys (B=5, no columns)', () => ({ sparse: KeyedJaggedTensor.empty([], { stride: 5, idType: 'int32', weighted: true }) })],
    ['a KJT with zero keys and labels', () => ({ sparse: KeyedJaggedTensor.empty([], { stride: 3 }), labels: new Float32Array([1, -0, 0.5]) })],
    ['zero-length rows everywhere', () => ({ sparse: dedup(kjtOf(['a', 'b'], [[], [], [], [], [], []]), [['a']]) })],
    ['an IKJT with zero passthrough keys', () => ({ sparse: dedup(kjtOf(['a', 'b'], [[1], [1], [2], [3], [3], [3]]), [['a', 'b']]) })],
    ['an IKJT with zero groups', () => ({ sparse: dedup(kjtOf(['a'], [[1], [1]]), []) })],
    ['an IKJT whose group has every row unique (U = B)', () => ({ sparse: dedup(kjtOf(['a', 'b'], [[1], [2], [3], [4]]), [['b']]) })],
    ['weights, with -0 and NaN', () => ({ sparse: dedup(kjtOf(['a', 'b'], [[1, 2], [1, 2], [3], [3]], { weights: [[-0, NaN], [-0, NaN], [2], [2]] }), [['a']]) })],
    ['int32 ids at their extremes', () => ({ sparse: kjtOf(['a'], [[-(2 ** 31), 2 ** 31 - 1], [0]], { idType: 'int32' }) })],
    ['int64 ids at -2^63, 2^63-1 and around 2^53', () => ({ sparse: dedup(kjtOf(['a', 'b'], [INT64_EDGES, INT64_EDGES, [1n], [2n]]), [['a']]) })],
    ['dense features of width 0', () => ({ sparse: kjtOf(['a'], [[1], [2]]), dense: new Float32Array(0), numDense: 0 })],
  ];
  it.each(cases)('%s', (_, make) => {
    const batch = make();
    expectSameBatch(roundTripInMemory(batch), batch);
    expectSameBatch(roundTripIpc(batch), batch);
  });

  // Arrow JS's IPC writer merges consecutive body buffers that share memory; these would overlap
  describe('buffers that share memory and are written one after the other', () => {
    const sharedPart = JaggedTensor.fromLengths({ values: new BigInt64Array(0), lengths: new Int32Array(3) });
    const sameMemory: Array<[string, () => ArrowBatch]> = [
      ['a weighted key with no ids (its ids and weights columns share offsets)', () => ({ sparse: kjtOf(['a'], [[]], { weights: [[]] }) })],
      ['two keys holding one empty jagged tensor', () => ({ sparse: KeyedJaggedTensor.fromJaggedTensors(['a', 'b'], [sharedPart, sharedPart]) })],
      ['labels that are also the dense features', () => {
        const values = new Float32Array([1, 2]); // 8 bytes: no padding written between the two
        return { sparse: KeyedJaggedTensor.empty([], { stride: 2 }), labels: values, dense: values, numDense: 1 };
      }],
    ];
    it.each(sameMemory)('%s', (_, make) => {
      const batch = make();
      expectSameBatch(roundTripIpc(batch), batch);
      const table = tableFromIPC(tableToIPC(new Table(encodeBatchArrow(batch)), 'stream'));
      expectSameBatch(decodeBatchArrow(table.batches[0], table.schema), batch);
    });
  });

  it('keeps ids past 2^53 exact (no detour through number)', () => {
    const batch = { sparse: kjtOf(['a'], [[2n ** 53n + 1n, -(2n ** 63n), 2n ** 63n - 1n]]) };
    const decoded = roundTripIpc(batch).sparse as KeyedJaggedTensor;
    expect(Array.from(decoded.get('a').values as BigInt64Array)).toEqual([2n ** 53n + 1n, -(2n ** 63n), 2n ** 63n - 1n]);
  });
});

describe('Arrow encoding is zero-copy', () => {
  const { kjt, sessionKeys } = makeSessionBatch({ batchSize: 64, samplesPerSession: 8, seed: 3 });
  const ikjt = dedup(kjt, [sessionKeys]);
  const labels = new Float32Array(64).fill(1);
  const dense = new Float32Array(64 * 3);

  it('wraps the tensors arrays in the RecordBatch', () => {
    const recordBatch = encodeBatchArrow({ sparse: ikjt, labels, dense });
    const column = (name: string): Data => recordBatch.getChild(name)!.data[0];
    expect(column('label').values).toBe(labels);
    expect(column('dense').children[0].values).toBe(dense);
    expect(column('inverse:0').values).toBe(ikjt.groups[0].inverse);
    const item = ikjt.passthrough.get('item_id');
    expect(column('item_id').children[0].values).toBe(item.values);
    expect(column('item_id').valueOffsets).toBe(item.offsets);
    expect(column('user_history_0').children[0].values).toBe(ikjt.groups[0].unique.get('user_history_0').values);
  });

  it('decodes to views of the IPC bytes', () => {
    const bytes = encodeBatchesIpc([{ sparse: ikjt, labels, dense }]);
    const [decoded] = decodeBatchesIpc(bytes);
    const sparse = decoded.sparse as InverseKeyedJaggedTensor;
    expect(decoded.labels!.buffer).toBe(bytes.buffer);
    expect(decoded.dense!.buffer).toBe(bytes.buffer);
    expect(sparse.groups[0].inverse.buffer).toBe(bytes.buffer);
    expect(sparse.passthrough.get('item_id').values.buffer).toBe(bytes.buffer);
    expect(sparse.groups[0].unique.get('user_history_1').values.buffer).toBe(bytes.buffer);
  });

  it('still decodes bytes that do not start at a multiple of 8 (Arrow copies those message bodies)', () => {
    const bytes = encodeBatchesIpc([{ sparse: ikjt, labels }]);
    const shifted = new Uint8Array(bytes.length + 3).subarray(3);
    shifted.set(bytes);
    expectSameBatch(decodeBatchesIpc(shifted)[0], { sparse: ikjt, labels });
  });
});

describe('Arrow IPC streams', () => {
  it('carries several training batches, one RecordBatch each, in order', () => {
    const batches: ArrowBatch[] = [64, 40, 0, 17].map((batchSize, b) => {
      const { kjt, sessionKeys } = makeSessionBatch({ batchSize, samplesPerSession: 4, sequenceLength: 5, seed: b + 1 });
      return { sparse: dedup(kjt, [sessionKeys]), labels: new Float32Array(batchSize).fill(b), dense: new Float32Array(batchSize * 2).fill(-b), numDense: 2 };
    });
    const bytes = encodeBatchesIpc(batches);
    const decoded = decodeBatchesIpc(bytes);
    expect(decoded.map((batch) => (batch.sparse as InverseKeyedJaggedTensor).batchSize)).toEqual([64, 40, 0, 17]);
    decoded.forEach((batch, b) => expectSameBatch(batch, batches[b]));
    expect(tableFromIPC(bytes).batches.map((batch) => batch.numRows)).toEqual([64, 40, 0, 17]);
  });

  it('rejects batches of different layouts in one stream, and an empty list of batches', () => {
    const a = { sparse: kjtOf(['a'], [[1]]) };
    const b = { sparse: kjtOf(['a'], [[1]], { idType: 'int32' }) };
    expect(() => encodeBatchesIpc([a, b])).toThrow(SchemaError);
    expect(() => encodeBatchesIpc([a, b])).toThrow(/batch 1 has another layout/);
    expect(() => encodeBatchesIpc([])).toThrow(/at least one batch/);
  });

  it('exposes the documented columns, types and metadata to a plain Arrow reader', () => {
    const sessions = kjtOf(['item', 'user', 'history'], [[10], [11], [12], [1], [1], [2], [5, 6], [5, 6], []], { weights: [[1], [1], [1], [1], [1], [1], [1, 2], [1, 2], []] });
    const bytes = encodeBatchesIpc([
      { sparse: dedup(sessions, [['user', 'history']]), labels: new Float32Array(3), dense: new Float32Array(12) },
    ]);
    const table = tableFromIPC(bytes);
    expect(table.schema.fields.map((field) => [field.name, String(field.type), field.nullable])).toEqual([
      ['label', 'Float32', false],
      ['dense', 'FixedSizeList[4]<Float32>', false],
      ['item', 'List<Int64>', false],
      ['item:weights', 'List<Float32>', false],
      ['inverse:0', 'Int32', false],
      ['user', 'List<Int64>', true],
      ['user:weights', 'List<Float32>', true],
      ['history', 'List<Int64>', true],
      ['history:weights', 'List<Float32>', true],
    ]);
    expect(JSON.parse(table.schema.metadata.get('recd')!)).toEqual({
      version: 1,
      sparse: 'ikjt',
      keys: ['item', 'user', 'history'],
      passthrough: ['item'],
      groups: [{ keys: ['user', 'history'], inverse: 'inverse:0' }],
      idType: 'int64',
      weighted: true,
      labels: true,
      numDense: 4,
    });
    expect(table.getChild('user')!.toArray().map((row: BigInt64Array | null) => row && Array.from(row))).toEqual([[1n], [2n], null]);
    expect(Array.from(table.getChild('inverse:0')!.toArray() as Int32Array)).toEqual([0, 0, 1]);
    // a table's batches decode with the table's schema
    expectSameBatch(decodeBatchArrow(table.batches[0], table.schema), decodeBatchesIpc(bytes)[0]);
  });

  it('handles list offsets that do not start at 0 (sliced record batches), in memory and when written', () => {
    const kjt = kjtOf(['a', 'b'], [[1, 2], [], [3], [4, 5, 6], [7], [8], [9, 10], []], { weights: [[1, 2], [], [3], [4, 5, 6], [7], [8], [9, 10], []] });
    const sliced = encodeBatchArrow({ sparse: kjt, labels: new Float32Array([0, 1, 2, 3]) }).slice(1, 3);
    expect(sliced.getChild('a')!.data[0].valueOffsets[0]).toBe(2);
    const expected = { sparse: kjt.sliceRows(1, 3), labels: new Float32Array([1, 2]) };
    expectSameBatch(decodeBatchArrow(sliced), expected);
    // the IPC writer rebases the offsets and slices the child values
    const table = tableFromIPC(tableToIPC(new Table(sliced), 'stream'));
    expect(Array.from(table.getChild('a')!.data[0].valueOffsets.subarray(0, 3))).toEqual([0, 0, 1]);
    expectSameBatch(decodeBatchArrow(table.batches[0], table.schema), expected);
  });
});

describe('Arrow encoding errors', () => {
  it('says what is wrong with a batch it cannot encode', () => {
    const kjt = kjtOf(['a'], [[1], [2]]);
    expect(() => encodeBatchArrow({ sparse: kjt, labels: new Float32Array(3) })).toThrow(/labels: expected one per sample \(2\), got 3/);
    expect(() => encodeBatchArrow({ sparse: kjt, dense: new Float32Array(5) })).toThrow(JaggedShapeError);
    expect(() => encodeBatchArrow({ sparse: kjtOf(['label'], [[1]]), labels: new Float32Array(1) })).toThrow(/two columns would be named "label"/);
    const ikjt = dedup(kjtOf(['a', 'b'], [[1], [1], [2], [3]]), [['a']]);
    const tooManyUnique = InverseKeyedJaggedTensor.from({ ...ikjt, groups: [{ ...ikjt.groups[0], unique: kjtOf(['a'], [[1], [2], [3]]) }] });
    expect(() => encodeBatchArrow({ sparse: tooManyUnique })).toThrow(/at most batchSize=2 unique rows, got 3/);
    const int32Group = InverseKeyedJaggedTensor.from({ ...ikjt, groups: [{ ...ikjt.groups[0], unique: kjtOf(['a'], [[1]], { idType: 'int32' }) }] });
    expect(() => encodeBatchArrow({ sparse: int32Group })).toThrow(/expected 1 rows of int64, got 1 rows of int32/);
  });

  it('says what is wrong with a RecordBatch it cannot decode', () => {
    const recordBatch = encodeBatchArrow({ sparse: kjtOf(['a', 'b'], [[1], [2]]) });
    const withMetadata = (metadata: Map<string, string>): RecordBatch => new RecordBatch(new Schema(recordBatch.schema.fields, metadata), recordBatch.data);
    expect(() => decodeBatchArrow(withMetadata(new Map()))).toThrow(/expected metadata "recd"/);
    expect(() => decodeBatchArrow(withMetadata(new Map([['recd', '{oops']])))).toThrow(/expected JSON/);
    const layout = JSON.parse(recordBatch.schema.metadata.get('recd')!);
    expect(() => decodeBatchArrow(withMetadata(new Map([['recd', JSON.stringify({ ...layout, version: 2 })]])))).toThrow(/expected format version 1, got 2/);
    expect(() => decodeBatchArrow(withMetadata(new Map([['recd', JSON.stringify({ ...layout, keys: ['a', 'b', 'c'], passthrough: ['a', 'b', 'c'] })]])))).toThrow(
      /expected a column "c" of type List<Int64>/,
    );
    expect(() => decodeBatchArrow(withMetadata(new Map([['recd', JSON.stringify({ ...layout, idType: 'int32' })]])))).toThrow(
      /column "a": expected type List<Int32>, got List<Int64>/,
    );
    expect(() => decodeBatchArrow(withMetadata(new Map([['recd', JSON.stringify({ ...layout, passthrough: ['a'] })]])))).toThrow(SchemaError);
  });

  it('rejects a group column whose null rows are not all after the unique rows', () => {
    const ikjt = dedup(kjtOf(['a'], [[1], [1], [2]]), [['a']]);
    const recordBatch = encodeBatchArrow({ sparse: ikjt });
    const a = recordBatch.getChild('a')!.data[0];
    // unique rows at 1 and 2, null at 0: wrong place
    const moved = makeData({ type: a.type, length: 3, nullCount: 1, nullBitmap: new Uint8Array([0b110]), valueOffsets: new Int32Array([0, 0, 1, 2]), child: a.children[0] });
    const children = recordBatch.schema.fields.map((field) => (field.name === 'a' ? moved : recordBatch.getChild(field.name)!.data[0]));
    const broken = new RecordBatch(recordBatch.schema, makeData({ type: new Struct(recordBatch.schema.fields), length: 3, children }));
    expect(() => decodeBatchArrow(broken)).toThrow(/unique rows first .* row 0 is null/);
    expect(arrowBatchLayout({ sparse: ikjt }).groups).toEqual([{ keys: ['a'], inverse: 'inverse:0' }]);
  });
});
