/**
 * DistinctRows claims rows distinct only when they are: checked against the exact deduplication
 * (RowDeduper) on rows drawn from a tiny alphabet, so equal rows and rows equal in all but the
 * middle of a list (equal fingerprints, different rows) are common.
 */
import fc from 'fast-check';
import { RowDeduper } from '@recd/core';
import { DistinctRows } from '../src/distinct-rows';

type GroupWords = Parameters<RowDeduper['dedup']>[0];

function group(rows: { id: number; list: number[] }[]): GroupWords {
  const listOffsets = [0];
  for (const row of rows) listOffsets.push(listOffsets[listOffsets.length - 1] + row.list.length);
  return {
    words: [Int32Array.from(rows.map((row) => row.id)), Int32Array.from(rows.flatMap((row) => row.list))],
    idDoubles: [undefined, undefined],
    offsets: [Int32Array.from(rows.map((_, i) => i).concat(rows.length)), Int32Array.from(listOffsets)],
    weightBits: [undefined, undefined],
    wordsPerValue: 1,
    rows: rows.length,
  };
}

test('property: "provably distinct" only when the exact deduplication finds every row unique', () => {
  const distinct = new DistinctRows();
  const deduper = new RowDeduper();
  let proved = 0;
  fc.assert(
    fc.property(fc.array(fc.record({ id: fc.integer({ min: 0, max: 3 }), list: fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 6 }) }), { maxLength: 40 }), (rows) => {
      const words = group(rows);
      if (distinct.provablyDistinct(words)) {
        proved++;
        expect(deduper.dedup(words).uniqueRows.length).toBe(rows.length);
      }
    }),
    { numRuns: 500 },
  );
  expect(proved).toBeGreaterThan(10); // the claim is made, not only withheld
});

test('rows equal but for the middle of a list are not claimed distinct (their fingerprints match)', () => {
  const rows = [
    { id: 1, list: [5, 6, 7, 8, 9] },
    { id: 1, list: [5, 6, 0, 8, 9] },
  ];
  expect(new DistinctRows().provablyDistinct(group(rows))).toBe(false);
  expect(new DistinctRows().provablyDistinct(group([rows[0], { id: 2, list: [5, 6, 7, 8, 9] }]))).toBe(true);
});
