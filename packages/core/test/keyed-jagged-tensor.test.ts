import fc from 'fast-check';
import { KeyedJaggedTensor, JaggedTensor, JaggedShapeError, KeyError, validateKjt } from '@recd/core';
import { kjtArb, kjtSpecArb, buildKjt } from './arbitraries';

/** The naive gather: row by row, through plain arrays. */
function naiveSelect(kjt: KeyedJaggedTensor, indices: number[]): { rows: unknown[][]; weights: unknown[][] } {
  const rows: unknown[][] = [];
  const weights: unknown[][] = [];
  for (const key of kjt.keys) {
    const part = kjt.get(key);
    for (const i of indices) {
      rows.push(Array.from(part.row(i) as ArrayLike<unknown>));
      weights.push(Array.from(part.rowWeights(i) ?? []));
    }
  }
  return { rows, weights };
}

function rowsOf(kjt: KeyedJaggedTensor): { rows: unknown[][]; weights: unknown[][] } {
  return naiveSelect(kjt, Array.from({ length: kjt.stride }, (_, i) => i));
}

describe('KeyedJaggedTensor properties', () => {
  it('selectRows equals a naive row gather (repeats, any order)', () => {
    const arb = kjtArb().chain((kjt) =>
      fc.tuple(fc.constant(kjt), kjt.stride === 0 ? fc.constant([] as number[]) : fc.array(fc.nat({ max: kjt.stride - 1 }), { maxLength: 20 })),
    );
    fc.assert(
      fc.property(arb, ([kjt, indices]) => {
        const selected = kjt.selectRows(Int32Array.from(indices));
        validateKjt(selected);
        expect(selected.stride).toBe(indices.length);
        expect(rowsOf(selected)).toEqual(naiveSelect(kjt, indices));
      }),
      { numRuns: 200 },
    );
  });

  it('permute to a shuffled order and back is the identity', () => {
    const arb = kjtArb().chain((kjt) => fc.tuple(fc.constant(kjt), fc.shuffledSubarray([...kjt.keys], { minLength: kjt.keys.length })));
    fc.assert(
      fc.property(arb, ([kjt, order]) => {
        const permuted = kjt.permute(order);
        validateKjt(permuted);
        expect(permuted.keys).toEqual(order);
        order.forEach((key) => expect(permuted.get(key)).toBe(kjt.get(key)));
        expect(permuted.permute(kjt.keys).equals(kjt)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('split then concat is the identity', () => {
    const arb = kjtArb().chain((kjt) =>
      fc.tuple(fc.constant(kjt), fc.array(fc.nat({ max: kjt.keys.length }), { minLength: 1, maxLength: 3 })).map(([k, cuts]) => {
        const sorted = [...cuts, kjt.keys.length].sort((a, b) => a - b);
        const counts = sorted.map((cut, i) => cut - (i === 0 ? 0 : sorted[i - 1]));
        return [k, counts] as const;
      }),
    );
    fc.assert(
      fc.property(arb, ([kjt, counts]) => {
        const pieces = kjt.split(counts);
        expect(pieces.map((piece) => piece.keys.length)).toEqual(counts);
        pieces.forEach((piece) => validateKjt(piece));
        expect(KeyedJaggedTensor.concat(pieces).equals(kjt)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('sliceRows then concatRows is the identity, and slices are views', () => {
    const arb = kjtArb().chain((kjt) => fc.tuple(fc.constant(kjt), fc.nat({ max: kjt.stride })));
    fc.assert(
      fc.property(arb, ([kjt, cut]) => {
        const head = kjt.sliceRows(0, cut);
        const tail = kjt.sliceRows(cut, kjt.stride);
        validateKjt(head);
        validateKjt(tail);
        expect(head.stride + tail.stride).toBe(kjt.stride);
        expect(KeyedJaggedTensor.concatRows([head, tail]).equals(kjt)).toBe(true);
        kjt.keys.forEach((key) => expect(head.get(key).values.buffer).toBe(kjt.values.buffer));
      }),
      { numRuns: 100 },
    );
  });

  it('flat arrays of derived tensors are key-major and consistent', () => {
    fc.assert(
      fc.property(kjtSpecArb(), (spec) => {
        const kjt = buildKjt(spec);
        const reversed = kjt.permute([...kjt.keys].reverse());
        validateKjt(reversed);
        const expected = [...spec.keys].reverse().flatMap((_, r) => {
          const k = spec.keys.length - 1 - r;
          return spec.rows.slice(k * spec.stride, (k + 1) * spec.stride);
        });
        expect(Array.from(reversed.lengths)).toEqual(expected.map((row) => row.length));
        expect(Array.from(reversed.values as ArrayLike<unknown>).map(String)).toEqual(expected.flat().map(String));
      }),
      { numRuns: 100 },
    );
  });
});

describe('KeyedJaggedTensor operations', () => {
  const kjt = KeyedJaggedTensor.fromLengths({
    keys: ['a', 'b', 'c'],
    values: new Int32Array([1, 2, 3, 4, 5, 6]),
    lengths: new Int32Array([1, 1, 0, 2, 1, 1]),
  });

  it('split by key counts gives views with the right keys', () => {
    const [ab, c] = kjt.split([2, 1]);
    expect(ab.keys).toEqual(['a', 'b']);
    expect(c.get('c').toArrays()).toEqual([[5], [6]]);
    expect(() => kjt.split([2, 2])).toThrow(/summing to 3, got \[2, 2\]/);
  });

  it('concat rejects duplicate keys and mismatched strides', () => {
    expect(() => KeyedJaggedTensor.concat([kjt, kjt])).toThrow(KeyError);
    const other = KeyedJaggedTensor.empty(['z'], { idType: 'int32', stride: 5 });
    expect(() => KeyedJaggedTensor.concat([kjt, other])).toThrow(/expected stride 2/);
  });

  it('concatRows rejects other keys', () => {
    expect(() => KeyedJaggedTensor.concatRows([kjt, kjt.permute(['b', 'a', 'c'])])).toThrow(/expected keys \[a, b, c\]/);
  });

  it('get names the known keys when a key is missing', () => {
    expect(() => kjt.get('zz')).toThrow(/key "zz" not found; keys are \[a, b, c\]/);
  });

  it('selectRows rejects indices out of range', () => {
    expect(() => kjt.selectRows(new Int32Array([0, 2]))).toThrow(/expected indices in \[0, 2\), got indices\[1\]=2/);
  });

  it('sliceRows checks its range', () => {
    expect(() => kjt.sliceRows(1, 3)).toThrow(JaggedShapeError);
    expect(kjt.sliceRows(1, 2).get('b').toArrays()).toEqual([[3, 4]]);
  });

  it('empty gives zero ids and the requested stride', () => {
    const empty = KeyedJaggedTensor.empty(['x', 'y'], { stride: 3, weighted: true });
    validateKjt(empty);
    expect(empty.stride).toBe(3);
    expect(Array.from(empty.lengths)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(empty.weights!.length).toBe(0);
  });

  it('equals compares keys, lengths, ids and weights', () => {
    const same = KeyedJaggedTensor.fromLengths({ keys: ['a', 'b', 'c'], values: new Int32Array([1, 2, 3, 4, 5, 6]), lengths: new Int32Array([1, 1, 0, 2, 1, 1]) });
    const otherLengths = KeyedJaggedTensor.fromLengths({ keys: ['a', 'b', 'c'], values: new Int32Array([1, 2, 3, 4, 5, 6]), lengths: new Int32Array([2, 0, 0, 2, 1, 1]) });
    expect(kjt.equals(same)).toBe(true);
    expect(kjt.equals(otherLengths)).toBe(false);
    expect(kjt.equals(kjt.permute(['b', 'a', 'c']))).toBe(false);
  });

  it('JaggedTensor.fromOffsets derives lengths', () => {
    const jt = JaggedTensor.fromOffsets({ values: new Int32Array([9, 8, 7]), offsets: new Int32Array([0, 0, 3]) });
    expect(Array.from(jt.lengths)).toEqual([0, 3]);
    expect(jt.toArrays()).toEqual([[], [9, 8, 7]]);
  });
});

describe('validateKjt', () => {
  it('says what it expected and what it found', () => {
    const short = KeyedJaggedTensor.fromLengths({ keys: ['a', 'b'], values: new Int32Array([1, 2]), lengths: new Int32Array([1, 1, 1, 1]) });
    expect(() => validateKjt(short)).toThrow(/key "b": sum\(lengths\)=2 but values.length=0/);
    const long = KeyedJaggedTensor.fromLengths({ keys: ['a'], values: new Int32Array([1, 2, 3]), lengths: new Int32Array([1, 1]) });
    expect(() => validateKjt(long)).toThrow(/sum\(lengths\)=2 but values.length=3/);
    const negative = KeyedJaggedTensor.fromLengths({ keys: ['a'], values: new Int32Array([1]), lengths: new Int32Array([2, -1]) });
    expect(() => validateKjt(negative)).toThrow(/expected lengths >= 0, got lengths\[1\]=-1/);
    const badWeights = KeyedJaggedTensor.fromLengths({ keys: ['a'], values: new Int32Array([1, 2]), lengths: new Int32Array([2]), weights: new Float32Array(1) });
    expect(() => validateKjt(badWeights)).toThrow(/one weight per id \(2\), got 1 weights/);
  });

  it('rejects lengths that do not divide into keys', () => {
    expect(() => KeyedJaggedTensor.fromLengths({ keys: ['a', 'b'], values: new Int32Array(0), lengths: new Int32Array(3) })).toThrow(
      /multiple of keys.length \(2\), got 3/,
    );
  });

  it('rejects duplicate keys', () => {
    const dup = KeyedJaggedTensor.fromLengths({ keys: ['a', 'a'], values: new Int32Array(0), lengths: new Int32Array(2) });
    expect(() => validateKjt(dup)).toThrow(/key "a" appears more than once/);
  });
});
