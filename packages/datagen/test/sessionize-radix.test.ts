/**
 * Sessionizing with the radix sort (samples/radix-sort.ts) against its naive twin, the comparator
 * sort: the same session index on events with ties everywhere (users, sessions, times), negative
 * and 64-bit ids, unknown users, fractional, negative and -0 times, with and without a session
 * column.
 */
import fc from 'fast-check';
import type { EventTable } from '../src/log/events';
import { float64KeyWords, int64KeyWords, radixSortIndexes } from '../src/samples/radix-sort';
import { sessionize } from '../src/samples/sessions';

const idArbitrary = fc.oneof(fc.bigInt({ min: -3n, max: 3n }), fc.constantFrom(-(2n ** 63n), 2n ** 63n - 1n, 2n ** 32n, -(2n ** 32n) + 1n, 4294967295n));
const timeArbitrary = fc.oneof(fc.integer({ min: -2, max: 4 }).map((t) => t * 60_000), fc.constantFrom(-0, 0.5, -1.25, 1_700_000_000_000, 1_700_000_000_000.5, 2 ** 52 + 2));

const eventsArbitrary = fc
  .array(fc.record({ session: idArbitrary, user: idArbitrary, known: fc.boolean(), time: timeArbitrary }), { maxLength: 300, size: 'max' })
  .map((rows): EventTable => {
    const n = rows.length;
    return {
      length: n,
      session: BigInt64Array.from(rows, (row) => row.session),
      user: BigInt64Array.from(rows, (row) => (row.known ? row.user : 0n)),
      userKnown: Uint8Array.from(rows, (row) => (row.known ? 1 : 0)),
      item: BigInt64Array.from(rows, (_, i) => BigInt(i)),
      category: new BigInt64Array(n),
      time: Float64Array.from(rows, (row) => row.time),
      label: new Float32Array(n),
      order: Float64Array.from(rows, (_, i) => i),
      dense: [],
      categorical: [],
    };
  });

function plain(index: ReturnType<typeof sessionize>): Record<string, unknown> {
  return {
    count: index.count,
    eventOrder: Array.from(index.eventOrder),
    sessionStart: Array.from(index.sessionStart),
    sessionId: Array.from(index.sessionId),
    startTime: Array.from(index.startTime, (t) => (Object.is(t, -0) ? 'minus zero' : t)),
    userEvent: Array.from(index.userEvent),
  };
}

describe('sessionize: radix sort equals the comparator sort', () => {
  it.each([true, false])('hasSessionColumn %s (property)', (hasSessionColumn) => {
    fc.assert(
      fc.property(eventsArbitrary, fc.constantFrom(0, 60_000, 30 * 60_000), (events, gapMs) => {
        const options = { hasSessionColumn, gapMs };
        expect(plain(sessionize(events, options))).toEqual(plain(sessionize(events, options, true)));
      }),
      { numRuns: 200 },
    );
  });

  it('falls back to the comparator when the events are not in log order', () => {
    const events = fc.sample(eventsArbitrary, { numRuns: 40, seed: 4 }).reduce((longest, table) => (table.length > longest.length ? table : longest));
    expect(events.length).toBeGreaterThan(20);
    events.order.reverse();
    const options = { hasSessionColumn: true, gapMs: 0 };
    expect(plain(sessionize(events, options))).toEqual(plain(sessionize(events, options, true)));
  });
});

describe('radixSortIndexes', () => {
  it('sorts stably by int64 and float64 key words like a comparator sort (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(idArbitrary, timeArbitrary), { maxLength: 200, size: 'max' }), (pairs) => {
        const ids = BigInt64Array.from(pairs, ([id]) => id);
        const times = Float64Array.from(pairs, ([, time]) => time);
        const order = Int32Array.from(pairs, (_, i) => i);
        radixSortIndexes(order, [...float64KeyWords(times), ...int64KeyWords(new Int32Array(ids.buffer), pairs.length)]);
        const expected = pairs.map((_, i) => i).sort((a, b) => (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : times[a] - times[b] || a - b));
        expect(Array.from(order)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
