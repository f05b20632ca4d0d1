/** SampleChunkBuilder's list appends: `pushRepeatedList` against `pushList` row by row (its twin). */
import { SampleChunkBuilder } from '../src/samples/sample-builder';
import { seeded } from './native-helpers';

const columns = [
  { name: 'l', type: 'list<int64>' as const },
  { name: 'x', type: 'int64' as const },
];

test('pushRepeatedList gives the chunk of pushList called for each row, for any row count, id count and growth', () => {
  for (let seed = 1; seed <= 60; seed++) {
    const random = seeded(seed);
    const source = BigInt64Array.from({ length: 64 }, (_, i) => BigInt(i) * (i % 2 === 0 ? 1n : -(2n ** 40n)));
    const sourceWords = new Int32Array(source.buffer);
    // small first capacities, so that both builders grow their lists on the way
    const repeated = new SampleChunkBuilder(columns, 2, [3, 0]);
    const plain = new SampleChunkBuilder(columns, 2, [3, 0]);
    for (let block = 0; block < 12; block++) {
      const rows = Math.floor(random() * 9); // 0 rows too
      const from = Math.floor(random() * 64);
      const to = from + Math.floor(random() * (64 - from + 1)); // empty lists too
      for (const builder of [repeated, plain]) builder.reserve(rows);
      const firstRow = repeated.length;
      for (let r = 0; r < rows; r++) {
        plain.pushList(0, plain.length, sourceWords, from, to);
        plain.int64Words[1][2 * plain.length] = block;
        plain.length++;
        repeated.int64Words[1][2 * repeated.length] = block;
        repeated.length++;
      }
      repeated.pushRepeatedList(0, firstRow, rows, sourceWords, from, to);
    }
    expect(repeated.finish()).toEqual(plain.finish());
  }
});
