import { InverseKeyedJaggedTensor, KeyedJaggedTensor, dedup, validateIkjt, JaggedShapeError } from '@recd/core';

function sample(): { kjt: KeyedJaggedTensor; ikjt: InverseKeyedJaggedTensor } {
  const kjt = KeyedJaggedTensor.fromLengths({
    keys: ['item', 'user'],
    values: new BigInt64Array([10n, 11n, 12n, 1n, 1n, 2n]),
    lengths: new Int32Array([1, 1, 1, 1, 1, 1]),
  });
  return { kjt, ikjt: dedup(kjt, [['user']]) };
}

describe('validateIkjt', () => {
  it('accepts what dedup makes', () => {
    expect(() => validateIkjt(sample().ikjt, { canonical: true })).not.toThrow();
  });

  it('rejects an inverse entry out of range', () => {
    const { ikjt } = sample();
    const group = ikjt.groups[0];
    const bad = InverseKeyedJaggedTensor.from({ ...ikjt, groups: [{ ...group, inverse: new Int32Array([0, 0, 2]) }] });
    expect(() => validateIkjt(bad)).toThrow(/expected inverse values in \[0, 2\), got inverse\[2\]=2/);
  });

  it('rejects an inverse of the wrong length', () => {
    const { ikjt } = sample();
    const bad = InverseKeyedJaggedTensor.from({ ...ikjt, groups: [{ ...ikjt.groups[0], inverse: new Int32Array([0, 1]) }] });
    expect(() => validateIkjt(bad)).toThrow(JaggedShapeError);
    expect(() => validateIkjt(bad)).toThrow(/inverse of length batchSize=3, got 2/);
  });

  it('rejects a key that is nowhere, or in two places', () => {
    const { ikjt, kjt } = sample();
    const missing = InverseKeyedJaggedTensor.from({ ...ikjt, keys: [...ikjt.keys, 'ghost'] });
    expect(() => validateIkjt(missing)).toThrow(/key "ghost" is in neither a group nor the passthrough/);
    const twice = InverseKeyedJaggedTensor.from({ ...ikjt, passthrough: kjt });
    expect(() => validateIkjt(twice)).toThrow(/key "user" is in both passthrough and group 0/);
  });

  it('canonical mode rejects repeated unique rows and out-of-order numbering', () => {
    const { ikjt } = sample();
    const repeated = InverseKeyedJaggedTensor.from({
      ...ikjt,
      groups: [{ keys: ['user'], unique: KeyedJaggedTensor.fromLengths({ keys: ['user'], values: new BigInt64Array([1n, 1n]), lengths: new Int32Array([1, 1]) }), inverse: new Int32Array([0, 1, 1]) }],
    });
    expect(() => validateIkjt(repeated)).not.toThrow();
    expect(() => validateIkjt(repeated, { canonical: true })).toThrow(/2 pairwise different unique rows, found only 1/);
    const reordered = InverseKeyedJaggedTensor.from({ ...ikjt, groups: [{ ...ikjt.groups[0], inverse: new Int32Array([1, 1, 0]) }] });
    expect(() => validateIkjt(reordered, { canonical: true })).toThrow(/first-use order/);
  });

  it('prints its groups readably', () => {
    const text = sample().ikjt.toString();
    expect(text).toContain('group 0 [user]: 2 unique rows, inverse=[0, 0, 1]');
  });
});
