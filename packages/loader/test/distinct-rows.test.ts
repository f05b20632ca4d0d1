/**
 * FingerprintDeduper against its naive twin, the exact deduplication (RowDeduper): the same unique
 * rows in the same order and the same inverse, on rows drawn from a tiny alphabet, so equal rows
 * and rows equal in all but a few ids of a list (equal fingerprints, different rows) are common.
 */
import fc from 'fast-check';
import { RowDeduper } from '@recd/core';
import { FingerprintDeduper, fingerprints } from '../src/distinct-rows';

type GroupWords = Parameters<RowDeduper['dedup']>[0];

function printsOf(words: GroupWords): number[] {
  const out = new Int32Array(words.rows);
  fingerprints(words, out);
  return Array.from(out);
}

function group(rows: { id: number; list: number[] }[], wordsPerValue: 1 | 2 = 1): GroupWords {
  const listOffsets = [0];
  for (const row of rows) listOffsets.push(listOffsets[listOffsets.length - 1] + row.list.length);
  // int64 ids as (low, high) word pairs, the high word a function of the low one
  const words = (ids: number[]) => Int32Array.from(wordsPerValue === 1 ? ids : ids.flatMap((id) => [id, id % 2]));
  return {
    words: [words(rows.map((row) => row.id)), words(rows.flatMap((row) => row.list))],
    idDoubles: [undefined, undefined],
    offsets: [Int32Array.from(rows.map((_, i) => i).concat(rows.length)), Int32Array.from(listOffsets)],
    weightBits: [undefined, undefined],
    wordsPerValue,
    rows: rows.length,
  };
}

const rowsArbitrary = fc.array(fc.record({ id: fc.integer({ min: 0, max: 3 }), list: fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 7 }) }), { maxLength: 60 });

test('property: the exact deduplication, whenever it does not give up', () => {
  const deduper = new FingerprintDeduper();
  const naive = new RowDeduper();
  let answered = 0;
  fc.assert(
    fc.property(rowsArbitrary, fc.constantFrom<1 | 2>(1, 2), (rows, w) => {
      const words = group(rows, w);
      const expected = naive.dedup(words);
      // key 0 holds one id per row: also as a declared single-id key (read without its offsets)
      for (const singles of [undefined, [w === 1, false]]) {
        const found = deduper.dedup(words, singles);
        if (found === undefined) return;
        answered++;
        expect(Array.from(found.uniqueRows.subarray(0, found.unique))).toEqual(Array.from(expected.uniqueRows));
        expect(Array.from(found.inverse.subarray(0, rows.length))).toEqual(Array.from(expected.inverse));
      }
    }),
    { numRuns: 600 },
  );
  expect(answered).toBeGreaterThan(1000);
});

test('rows equal but inside a list: equal fingerprints, told apart by the full comparison', () => {
  const rows = [
    { id: 1, list: [5, 6, 1, 7, 7, 8, 9] },
    { id: 1, list: [5, 6, 2, 7, 7, 8, 9] },
    { id: 1, list: [5, 6, 1, 7, 7, 8, 9] },
  ];
  const words = group(rows);
  const prints = printsOf(words);
  expect(prints[1]).toBe(prints[0]);
  const found = new FingerprintDeduper().dedup(words)!;
  expect(found.unique).toBe(2);
  expect(Array.from(found.inverse.subarray(0, 3))).toEqual([0, 1, 0]);
});

test('gives up when fingerprints of different rows keep matching, rather than compare every pair', () => {
  // 200 rows with the same length, ends and middle, each different inside
  const rows = Array.from({ length: 200 }, (_, i) => ({ id: 0, list: [1, 2, i, 3, i + 1000, 4, 5] }));
  // (a handful of such rows is fine: 5 rows, 10 pairs compared)
  const words = group(rows);
  expect(new Set(printsOf(words)).size).toBe(1);
  expect(new FingerprintDeduper().dedup(words)).toBeUndefined();
  expect(new FingerprintDeduper().dedup(group(rows.slice(0, 5)))?.unique).toBe(5);
});
