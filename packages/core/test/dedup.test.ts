import fc from 'fast-check';
import { JaggedTensor, KeyedJaggedTensor, dedup, dedupReference, validateIkjt, validateKjt, DedupGroupError, makeSessionBatch } from '@recd/core';
import { kjtWithGroupsArb, kjtArb } from './arbitraries';

function kjtOf(keys: string[], rows: Array<Array<number | bigint>>, options: { weights?: number[][]; int32?: boolean } = {}): KeyedJaggedTensor {
  const flat = rows.flat();
  return KeyedJaggedTensor.fromLengths({
    keys,
    values: options.int32 ? Int32Array.from(flat.map(Number)) : BigInt64Array.from(flat.map((v) => BigInt(v))),
    lengths: Int32Array.from(rows.map((row) => row.length)),
    weights: options.weights ? Float32Array.from(options.weights.flat()) : undefined,
  });
}

describe('dedup properties', () => {
  it('expand(dedup(x)) equals x, and the IKJT is valid and canonical', () => {
    fc.assert(
      fc.property(kjtWithGroupsArb(), ([kjt, groups]) => {
        const ikjt = dedup(kjt, groups);
        validateIkjt(ikjt, { canonical: true });
        const expanded = ikjt.expand();
        validateKjt(expanded);
        expect(expanded.equals(kjt)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with the naive twin (Map keyed by the joined row) on unique rows and inverse', () => {
    fc.assert(
      fc.property(kjtWithGroupsArb(), ([kjt, groups]) => {
        const fast = dedup(kjt, groups);
        const naive = dedupReference(kjt, groups);
        fast.groups.forEach((group, g) => {
          expect(Array.from(group.inverse)).toEqual(Array.from(naive.groups[g].inverse));
          expect(group.unique.equals(naive.groups[g].unique)).toBe(true);
        });
        expect(fast.passthrough.equals(naive.passthrough)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('stays exact when every row hash collides (hashMask 0)', () => {
    fc.assert(
      fc.property(kjtWithGroupsArb(), ([kjt, groups]) => {
        const collided = dedup(kjt, groups, { hashMask: 0 });
        const normal = dedup(kjt, groups);
        validateIkjt(collided, { canonical: true });
        expect(collided.expand().equals(kjt)).toBe(true);
        collided.groups.forEach((group, g) => {
          expect(Array.from(group.inverse)).toEqual(Array.from(normal.groups[g].inverse));
        });
      }),
      { numRuns: 150 },
    );
  });

  it('variable-batch form rebuilds every sample through inverseIndices', () => {
    fc.assert(
      fc.property(kjtWithGroupsArb(), ([kjt, groups]) => {
        const vb = dedup(kjt, groups).toVariableBatch();
        expect(vb.keys).toEqual(kjt.keys);
        const parts: JaggedTensor[] = [];
        let lengthStart = 0;
        let valueStart = 0;
        kjt.keys.forEach((_, k) => {
          const lengths = vb.lengths.subarray(lengthStart, lengthStart + vb.stridePerKey[k]);
          const count = lengths.reduce((a, b) => a + b, 0);
          const rows = JaggedTensor.fromLengths({
            values: vb.values.subarray(valueStart, valueStart + count),
            lengths,
            weights: vb.weights?.subarray(valueStart, valueStart + count),
          });
          const index = vb.inverseIndices.subarray(k * vb.batchSize, (k + 1) * vb.batchSize);
          parts.push(KeyedJaggedTensor.fromJaggedTensors(['x'], [rows]).selectRows(index).part(0));
          lengthStart += lengths.length;
          valueStart += count;
        });
        expect(lengthStart).toBe(vb.lengths.length);
        expect(valueStart).toBe(vb.values.length);
        const rebuilt = KeyedJaggedTensor.fromJaggedTensors(kjt.keys, parts, { stride: kjt.stride, idType: kjt.idType });
        expect(rebuilt.keys.length === 0 || rebuilt.equals(kjt)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe('dedup edge cases', () => {
  const big = [2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n];

  it('handles an empty batch', () => {
    const kjt = KeyedJaggedTensor.empty(['a', 'b'], { stride: 0 });
    const ikjt = dedup(kjt, [['a']]);
    validateIkjt(ikjt, { canonical: true });
    expect(ikjt.batchSize).toBe(0);
    expect(ikjt.groups[0].unique.stride).toBe(0);
    expect(ikjt.expand().equals(kjt)).toBe(true);
  });

  it('handles a batch with no keys', () => {
    const kjt = KeyedJaggedTensor.empty([], { stride: 5 });
    const ikjt = dedup(kjt, []);
    expect(ikjt.batchSize).toBe(5);
    expect(ikjt.expand().equals(kjt)).toBe(true);
  });

  it('keeps zero-length rows apart from non-empty ones and merges them together', () => {
    const kjt = kjtOf(['h'], [[], [1], [], [1], []]);
    const ikjt = dedup(kjt, [['h']]);
    expect(Array.from(ikjt.groups[0].inverse)).toEqual([0, 1, 0, 1, 0]);
    expect(ikjt.groups[0].unique.get('h').toArrays()).toEqual([[], [1n]]);
  });

  it('does not merge rows whose ids move between keys of the group', () => {
    // row 0: a=[1,2] b=[]; row 1: a=[1] b=[2]: same concatenated ids, different rows
    const kjt = KeyedJaggedTensor.fromLengths({ keys: ['a', 'b'], values: new BigInt64Array([1n, 2n, 1n, 2n]), lengths: new Int32Array([2, 1, 0, 1]) });
    expect(dedup(kjt, [['a', 'b']]).groups[0].unique.stride).toBe(2);
  });

  it('collapses a batch whose rows are all equal to one unique row', () => {
    const kjt = kjtOf(['u'], Array.from({ length: 64 }, () => [7, 8, 9]));
    const ikjt = dedup(kjt, [['u']]);
    expect(ikjt.groups[0].unique.stride).toBe(1);
    expect(ikjt.groups[0].inverse.every((row) => row === 0)).toBe(true);
    expect(ikjt.stats().groups[0].samplesPerUniqueRow).toBe(64);
  });

  it('keeps every row when all rows differ', () => {
    const kjt = kjtOf(['u'], Array.from({ length: 64 }, (_, i) => [i]));
    const ikjt = dedup(kjt, [['u']]);
    expect(ikjt.groups[0].unique.stride).toBe(64);
    expect(Array.from(ikjt.groups[0].inverse)).toEqual(Array.from({ length: 64 }, (_, i) => i));
  });

  it('treats weights as part of the row, bit for bit (0 and -0 differ)', () => {
    const kjt = kjtOf(['w'], [[1], [1], [1], [1]], { weights: [[0.5], [0.5], [0], [-0]] });
    const ikjt = dedup(kjt, [['w']]);
    expect(Array.from(ikjt.groups[0].inverse)).toEqual([0, 0, 1, 2]);
    const expanded = ikjt.expand();
    expect(expanded.equals(kjt)).toBe(true);
    expect(Object.is(expanded.weights![3], -0)).toBe(true);
  });

  it('keeps 64-bit extremes and ids around 2^53 exact', () => {
    const rows = [...big.map((id) => [id]), ...big.map((id) => [id]), [2n ** 53n, 2n ** 53n + 1n]];
    const kjt = kjtOf(['id'], rows);
    const ikjt = dedup(kjt, [['id']]);
    expect(ikjt.groups[0].unique.stride).toBe(big.length + 1);
    expect(ikjt.groups[0].unique.get('id').toArrays()).toEqual([...big.map((id) => [id]), [2n ** 53n, 2n ** 53n + 1n]]);
    expect(ikjt.expand().equals(kjt)).toBe(true);
  });

  it('separates ids that differ only in the high 32 bits or only in sign', () => {
    const kjt = kjtOf(['id'], [[1n], [1n + 2n ** 32n], [-1n], [2n ** 32n - 1n], [1n]]);
    expect(Array.from(dedup(kjt, [['id']]).groups[0].inverse)).toEqual([0, 1, 2, 3, 0]);
  });

  it('works on int32 ids, negative ones included', () => {
    const kjt = kjtOf(['id'], [[-5], [-5], [2147483647], [-2147483648]], { int32: true });
    const ikjt = dedup(kjt, [['id']]);
    expect(ikjt.groups[0].unique.idType).toBe('int32');
    expect(Array.from(ikjt.groups[0].inverse)).toEqual([0, 0, 1, 2]);
    expect(ikjt.expand().equals(kjt)).toBe(true);
  });

  it('passes keys in no group through whole, and expands in the original key order', () => {
    const { kjt, sessionKeys, sampleKeys } = makeSessionBatch({ batchSize: 100, samplesPerSession: 4, sequenceLength: 5 });
    const ikjt = dedup(kjt, [sessionKeys]);
    expect(ikjt.passthrough.keys).toEqual(sampleKeys);
    expect(ikjt.groups[0].unique.stride).toBe(25);
    expect(ikjt.expand().keys).toEqual(kjt.keys);
    expect(ikjt.expand().equals(kjt)).toBe(true);
  });

  it('reports bytes before and after', () => {
    const kjt = kjtOf(['u'], [[1, 2], [1, 2], [1, 2], [3]]);
    const stats = dedup(kjt, [['u']]).stats();
    // before: 4 lengths (16 B) + 7 ids (56 B); after: 2 lengths + 3 ids + 4 inverse entries
    expect(stats.bytesBefore).toBe(16 + 56);
    expect(stats.bytesAfter).toBe(8 + 24 + 16);
    expect(stats.groups[0]).toMatchObject({ uniqueRows: 2, samplesPerUniqueRow: 2 });
  });

  it('names a missing key, an empty group and a key in two groups', () => {
    const kjt = kjtOf(['a'], [[1]]);
    expect(() => dedup(kjt, [['a', 'nope']])).toThrow(DedupGroupError);
    expect(() => dedup(kjt, [['a', 'nope']])).toThrow(/names key "nope".*keys are \[a\]/);
    expect(() => dedup(kjt, [[]])).toThrow(/group 0 is empty/);
    expect(() => dedup(kjt, [['a'], ['a']])).toThrow(/key "a" is in dedup groups 0 and 1/);
  });

  it('is deterministic: first-occurrence order', () => {
    fc.assert(
      fc.property(kjtArb({ maxKeys: 2 }), (kjt) => {
        const groups = kjt.keys.length > 0 ? [[...kjt.keys]] : [];
        const a = dedup(kjt, groups);
        const b = dedup(kjt, groups);
        expect(Array.from(a.groups.flatMap((g) => Array.from(g.inverse)))).toEqual(Array.from(b.groups.flatMap((g) => Array.from(g.inverse))));
      }),
      { numRuns: 50 },
    );
  });
});
