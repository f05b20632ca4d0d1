/**
 * The synthetic log generator's building blocks against naive twins and known distributions.
 * These reach inside src/synth on purpose: the public tests cannot see a bucket order or a tail.
 */
import fc from 'fast-check';
import { Rng } from '@recd/core';
import { AliasSampler } from '../src/synth/alias-sampler';
import { DueCalendar } from '../src/synth/due-calendar';
import { normalUpperTail } from '../src/synth/lognormal';
import { SessionLengthSampler } from '../src/synth/session-length';
import { standardNormal } from '../src/synth/ziggurat';

describe('DueCalendar', () => {
  it('pops slots in (time, slot) order like a naive scan, through ring wraps and overflow', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 1e6 }),
        fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.nat(4000)), { maxLength: 400 }),
        (slots, width, log2Buckets, start, steps) => {
          const calendar = new DueCalendar(slots, width, 2 ** log2Buckets, start);
          const due = new Map<number, number>();
          for (let slot = 0; slot < slots; slot++) {
            const time = start + ((slot * 7919) % 300);
            calendar.push(time, slot);
            due.set(slot, time);
          }
          for (const [choice, gap] of steps) {
            if (due.size === 0) break;
            let slot = -1;
            let time = Infinity;
            for (const [s, t] of due) if (t < time || (t === time && s < slot)) [slot, time] = [s, t];
            expect([calendar.size, calendar.topSlot, calendar.topTime]).toEqual([due.size, slot, time]);
            if (choice < 0.05) {
              calendar.pop();
              due.delete(slot);
            } else {
              // Mostly near gaps, sometimes far past the ring (width * buckets ms).
              const later = time + (choice < 0.2 ? gap % 3 : choice < 0.9 ? gap : gap * 50);
              calendar.rescheduleTop(later);
              due.set(slot, later);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a slot due before the current bucket', () => {
    const calendar = new DueCalendar(2, 10, 8, 1_000);
    calendar.push(1_500, 0);
    calendar.push(1_600, 1);
    expect(calendar.topSlot).toBe(0);
    expect(() => calendar.push(1_000, 1)).toThrow(RangeError);
  });
});

describe('AliasSampler', () => {
  it('draws each value in proportion to its weight, segment by segment', () => {
    const weights = Float64Array.of(1, 0, 3, 6, 5, 5);
    const sampler = AliasSampler.fromSegments(weights, Int32Array.of(0, 4, 6), Int32Array.of(10, 11, 12, 13, 14, 15));
    const rng = new Rng(3);
    const counts = new Map<number, number>();
    const draws = 20_000;
    for (let i = 0; i < draws; i++) {
      const value = sampler.drawIn(0, rng);
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    expect(counts.get(11)).toBeUndefined();
    // Standard errors at 20,000 draws: 0.002, 0.003, 0.0035.
    expect(Math.abs((counts.get(10) ?? 0) / draws - 0.1)).toBeLessThan(0.01);
    expect(Math.abs((counts.get(12) ?? 0) / draws - 0.3)).toBeLessThan(0.015);
    expect(Math.abs((counts.get(13) ?? 0) / draws - 0.6)).toBeLessThan(0.015);
    for (let i = 0; i < 1_000; i++) expect([14, 15]).toContain(sampler.drawIn(1, rng));
    expect(() => AliasSampler.fromWeights(Float64Array.of(0, 0))).toThrow(/positive sum/);
  });
});

describe('standardNormal (ziggurat)', () => {
  it('has the moments and tails of a standard normal', () => {
    const rng = new Rng(11);
    const draws = 100_000;
    let sum = 0;
    let squares = 0;
    const beyond = [0, 0, 0];
    for (let i = 0; i < draws; i++) {
      const z = standardNormal(rng);
      sum += z;
      squares += z * z;
      for (let k = 0; k < 3; k++) if (Math.abs(z) > k + 1) beyond[k]++;
    }
    expect(Math.abs(sum / draws)).toBeLessThan(0.01);
    expect(Math.abs(squares / draws - 1)).toBeLessThan(0.02);
    // P(|Z| > 1, 2, 3) = 0.3173, 0.0455, 0.0027 (standard errors here about 0.5%, 1.5%, 6%).
    const ratios = beyond.map((count, k) => count / draws / (2 * normalUpperTail(k + 1)));
    expect(Math.abs(ratios[0] - 1)).toBeLessThan(0.02);
    expect(Math.abs(ratios[1] - 1)).toBeLessThan(0.05);
    expect(Math.abs(ratios[2] - 1)).toBeLessThan(0.2);
  });
});

describe('SessionLengthSampler', () => {
  it.each([
    [10, 1],
    [30, 1.5],
  ])('has mean %d with sigma %d, and minimum 1', (mean, sigma) => {
    const sampler = new SessionLengthSampler(mean, sigma);
    const rng = new Rng(5);
    let total = 0;
    let shortest = Infinity;
    const draws = 30_000;
    for (let i = 0; i < draws; i++) {
      const length = sampler.draw(rng);
      total += length;
      shortest = Math.min(shortest, length);
    }
    expect(shortest).toBe(1);
    expect(total / draws / mean).toBeCloseTo(1, 1);
  });
});
