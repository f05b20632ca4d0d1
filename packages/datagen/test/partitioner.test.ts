/**
 * EventPartitioner's column-wise scatter against its naive twin (event by event): the same events
 * in every partition, in the same order, with the same capacities (so the same spills), whether
 * the partitions stay in memory or spill.
 */
import * as fs from 'node:fs';
import fc from 'fast-check';
import { EventTable, EventTableBuilder } from '../src/log/events';
import { EventPartitioner } from '../src/log/partitioner';
import { tempDir } from './samples-helpers';

function block(rows: { user: number; session: number; known: boolean }[], first: number): EventTable {
  const builder = new EventTableBuilder(2, 1, Math.max(1, rows.length));
  builder.reserve(rows.length);
  rows.forEach((row, i) => {
    builder.session[i] = BigInt(row.session) * 4294967311n;
    builder.user[i] = row.known ? BigInt(row.user) - 7n : 0n;
    builder.userKnown[i] = row.known ? 1 : 0;
    builder.item[i] = BigInt(first + i) * -3n;
    builder.category[i] = BigInt(i % 5);
    builder.time[i] = 1_700_000_000_000 + (first + i) * 1.5;
    builder.label[i] = i % 3 === 0 ? 1 : 0;
    builder.order[i] = first + i;
    builder.dense[0][i] = i / 7;
    builder.dense[1][i] = -i;
    builder.categorical[0][i] = BigInt(first + i) << 33n;
  });
  builder.length = rows.length;
  return builder.view();
}

function plain(table: EventTable): unknown[][] {
  const { dense, categorical, length, ...columns } = table;
  return [[length], ...Object.values(columns).map((column) => Array.from(column as ArrayLike<unknown>)), ...dense.map((d) => Array.from(d)), ...categorical.map((c) => Array.from(c))];
}

describe('EventPartitioner: column-wise scatter equals appending event by event', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('partitioner');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('in memory and spilled (property)', () => {
    const rowArbitrary = fc.record({ user: fc.integer({ min: 0, max: 40 }), session: fc.integer({ min: 0, max: 90 }), known: fc.boolean() });
    let run = 0;
    fc.assert(
      fc.property(
        fc.array(fc.array(rowArbitrary, { maxLength: 400, size: 'max' }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom(1e9, 20_000, 1),
        (blocks, partitions, budgetBytes) => {
          run++;
          const [fast, naive] = [false, true].map(
            (isNaive) => new EventPartitioner({ partitions, numDense: 2, numCategorical: 1, tmpDir: fs.mkdtempSync(`${dir}/${run}-`), budgetBytes, naive: isNaive }),
          );
          let first = 0;
          for (const rows of blocks) {
            fast.add(block(rows, first));
            naive.add(block(rows, first));
            first += rows.length;
            expect(fast.memoryBytes).toBe(naive.memoryBytes);
          }
          expect(fast.spills).toBe(naive.spills);
          for (let p = 0; p < partitions; p++) expect(plain(fast.take(p))).toEqual(plain(naive.take(p)));
        },
      ),
      { numRuns: 60 },
    );
  });
});
