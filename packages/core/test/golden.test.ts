import { KeyedJaggedTensor, validateKjt } from '@recd/core';

// TorchRec's documentation example:
//          0       1        2      <- row (sample)
// "f0"  [V0,V1]   None    [V2]
// "f1"   [V3]     [V4]  [V5,V6,V7]
function torchrecExample(): KeyedJaggedTensor {
  return KeyedJaggedTensor.fromLengths({
    keys: ['f0', 'f1'],
    values: new BigInt64Array([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n]),
    lengths: new Int32Array([2, 0, 1, 1, 1, 3]),
  });
}

describe('TorchRec documentation example', () => {
  it('derives stride, offsets and per-key sizes', () => {
    const kjt = torchrecExample();
    validateKjt(kjt);
    expect(kjt.stride).toBe(3);
    expect(Array.from(kjt.offsets)).toEqual([0, 2, 2, 3, 4, 5, 8]);
    expect(Array.from(kjt.lengthPerKey)).toEqual([3, 5]);
    expect(Array.from(kjt.offsetPerKey)).toEqual([0, 3, 8]);
  });

  it('gives each key as a jagged tensor of views', () => {
    const kjt = torchrecExample();
    const f1 = kjt.get('f1');
    expect(f1.toArrays()).toEqual([[3n], [4n], [5n, 6n, 7n]]);
    expect(Array.from(f1.offsets)).toEqual([0, 1, 2, 5]);
    expect(f1.values.buffer).toBe(kjt.values.buffer);
    expect(Object.keys(kjt.toDict())).toEqual(['f0', 'f1']);
    expect(kjt.toDict().f0.toArrays()).toEqual([[0n, 1n], [], [2n]]);
  });

  it('returns the flat arrays it was built from', () => {
    const values = new BigInt64Array([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    const lengths = new Int32Array([2, 0, 1, 1, 1, 3]);
    const kjt = KeyedJaggedTensor.fromLengths({ keys: ['f0', 'f1'], values, lengths });
    expect(kjt.values).toBe(values);
    expect(kjt.lengths).toBe(lengths);
  });

  it('builds the same tensor from offsets', () => {
    const fromOffsets = KeyedJaggedTensor.fromOffsets({
      keys: ['f0', 'f1'],
      values: new BigInt64Array([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n]),
      offsets: new Int32Array([0, 2, 2, 3, 4, 5, 8]),
    });
    expect(fromOffsets.equals(torchrecExample())).toBe(true);
    expect(Array.from(fromOffsets.lengths)).toEqual([2, 0, 1, 1, 1, 3]);
  });

  it('prints readably and truncates long rows', () => {
    const text = torchrecExample().toString();
    expect(text).toContain('stride=3');
    expect(text).toContain('f1: [[3], [4], [5, 6, 7]]');
    const long = KeyedJaggedTensor.fromLengths({ keys: ['h'], values: new Int32Array(100), lengths: new Int32Array([100]) });
    expect(long.toString()).toContain('... +92');
  });
});
