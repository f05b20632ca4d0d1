import fc from 'fast-check';
import type { SampleChunk } from '../src/dataset';
import { StretchAssembler } from '../src/samples/stretch-assembler';
import { chunkRows, Row } from './samples-helpers';

const COLUMNS = [
  { name: 'label', type: 'float32' as const },
  { name: 'id', type: 'int64' as const },
  { name: 'items', type: 'list<int64>' as const },
];

function chunkOf(lengths: number[], seed: number): SampleChunk {
  const offsets = new Int32Array(lengths.length + 1);
  lengths.forEach((length, i) => (offsets[i + 1] = offsets[i] + length));
  return {
    length: lengths.length,
    columns: [
      { name: 'label', type: 'float32', values: Float32Array.from(lengths, (_, i) => (seed + i) / 8) },
      { name: 'id', type: 'int64', values: BigInt64Array.from(lengths, (_, i) => BigInt(seed) * 2n ** 40n - BigInt(i)) },
      { name: 'items', type: 'list<int64>', offsets, values: BigInt64Array.from({ length: offsets[lengths.length] }, (_, i) => -BigInt(seed * 1000 + i)) },
    ],
  };
}

describe('StretchAssembler', () => {
  it('takes the rows of its stretches in order, the same as copying them row by row, also when reused', () => {
    const stretches = fc.array(fc.record({ chunk: fc.nat(3), from: fc.nat(40), rows: fc.nat(40) }), { maxLength: 12 });
    fc.assert(
      fc.property(fc.array(fc.array(fc.nat(80), { minLength: 1, maxLength: 60 }), { minLength: 4, maxLength: 4 }), fc.array(stretches, { minLength: 1, maxLength: 3 }), (lengths, takes) => {
        const chunks = lengths.map((chunkLengths, seed) => chunkOf(chunkLengths, seed + 1));
        const assembler = new StretchAssembler(COLUMNS);
        for (const stretchList of takes) {
          const expected: Row[] = [];
          for (const { chunk, from, rows } of stretchList) {
            const source = chunks[chunk];
            const start = Math.min(from, source.length);
            const end = Math.min(start + rows, source.length);
            assembler.add(source, start, end);
            expected.push(...chunkRows(source).slice(start, end));
          }
          expect(assembler.length).toBe(expected.length);
          expect(chunkRows(assembler.take())).toEqual(expected);
        }
      }),
      { numRuns: 60 },
    );
  });
});
