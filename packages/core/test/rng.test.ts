import { Rng } from '@recd/core';

describe('Rng', () => {
  it('is reproducible from its seed and differs across seeds', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const seqA = Array.from({ length: 8 }, () => a.nextUint32());
    expect(Array.from({ length: 8 }, () => b.nextUint32())).toEqual(seqA);
    expect(Array.from({ length: 8 }, () => c.nextUint32())).not.toEqual(seqA);
  });

  it('forks independent streams without consuming the parent', () => {
    const rng = new Rng(7);
    const epoch0 = rng.fork(0).nextUint32();
    const epoch1 = rng.fork(1).nextUint32();
    expect(epoch0).not.toBe(epoch1);
    expect(new Rng(7).fork(0).nextUint32()).toBe(epoch0);
    expect(rng.nextUint32()).toBe(new Rng(7).nextUint32());
  });

  it('draws uniform integers and floats in range', () => {
    const rng = new Rng(1);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 100000; i++) counts[rng.nextInt(10)]++;
    for (const count of counts) expect(Math.abs(count - 10000)).toBeLessThan(500);
    for (let i = 0; i < 1000; i++) {
      const x = rng.nextFloat();
      expect(x >= 0 && x < 1).toBe(true);
    }
    expect(() => rng.nextInt(0)).toThrow(RangeError);
  });

  it('draws standard normals', () => {
    const rng = new Rng(3);
    let sum = 0;
    let sumSq = 0;
    const n = 50000;
    for (let i = 0; i < n; i++) {
      const x = rng.nextNormal();
      sum += x;
      sumSq += x * x;
    }
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.03);
  });

  it('shuffles into a permutation', () => {
    const array = Int32Array.from({ length: 100 }, (_, i) => i);
    new Rng(5).shuffle(array);
    expect(Array.from(array).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(array)).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
  });
});
