/**
 * PLAIN lists written from pieces of other arrays (what an encoder thread does with a row group's
 * stretches): the range folded piece by piece equals a BigInt min/max, the cursor copies exactly
 * the values in order across any page and piece boundaries, and a column chunk encoded from
 * pieces has the same bytes as from the assembled column.
 */
import { Int64Range } from '../src/encode/native/int64-range';
import { ListPieceCursor } from '../src/encode/native/list-piece-cursor';
import { ByteSink } from '../src/encode/native/byte-sink';
import { CompressionCodec, encodeColumnChunk } from '../src/encode/native/column-chunk-encoder';
import { StretchAssembler } from '../src/samples/stretch-assembler';
import type { SampleChunk } from '../src/dataset';
import { randomChunk, seeded } from './native-helpers';

const wordsOf = (values: BigInt64Array): Int32Array => new Int32Array(values.buffer, values.byteOffset, 2 * values.length);

/** Cuts 0..n into pieces of 0..maxLength values (empty ones included). */
function cuts(n: number, maxLength: number, random: () => number): number[] {
  const at = [0];
  while (at[at.length - 1] < n) at.push(Math.min(n, at[at.length - 1] + Math.floor(random() * (maxLength + 1))));
  return at;
}

function randomValues(n: number, random: () => number): BigInt64Array {
  const specials = [-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 2n ** 32n, -(2n ** 32n), 4294967295n];
  return BigInt64Array.from({ length: n }, () => {
    const r = random();
    if (r < 0.2) return specials[Math.floor(random() * specials.length)];
    if (r < 0.6) return BigInt(Math.floor(random() * 2000) - 1000);
    return BigInt.asIntN(64, (BigInt(Math.floor(random() * 2 ** 32)) << 32n) | BigInt(Math.floor(random() * 2 ** 32)));
  });
}

test('Int64Range folded piece by piece equals the BigInt min and max, with no value undefined', () => {
  expect(new Int64Range().bytes()).toBeUndefined();
  for (let seed = 1; seed <= 200; seed++) {
    const random = seeded(seed);
    const values = randomValues(1 + Math.floor(random() * 60), random);
    const range = new Int64Range();
    const at = cuts(values.length, 7, random);
    for (let k = 0; k + 1 < at.length; k++) range.add(wordsOf(values), 2 * at[k], 2 * at[k + 1]);
    const bytes = range.bytes()!;
    const min = values.reduce((a, b) => (b < a ? b : a));
    const max = values.reduce((a, b) => (b > a ? b : a));
    expect(new BigInt64Array(bytes.min.slice().buffer)[0]).toBe(min);
    expect(new BigInt64Array(bytes.max.slice().buffer)[0]).toBe(max);
  }
});

test('ListPieceCursor copies the values in order across page and piece boundaries, and folds their range', () => {
  for (let seed = 1; seed <= 100; seed++) {
    const random = seeded(seed);
    // pieces from three source arrays, at random places
    const sources = [randomValues(50, random), randomValues(80, random), randomValues(30, random)];
    const pieces = { words: [] as Int32Array[], from: [] as number[], to: [] as number[] };
    const expected: bigint[] = [];
    for (let k = 0; k < 1 + Math.floor(random() * 12); k++) {
      const source = sources[Math.floor(random() * sources.length)];
      const from = Math.floor(random() * source.length);
      const to = from + Math.floor(random() * (source.length - from + 1));
      if (to === from) continue; // the assembler leaves empty stretches out
      pieces.words.push(wordsOf(source));
      pieces.from.push(2 * from);
      pieces.to.push(2 * to);
      expected.push(...source.subarray(from, to));
    }
    const cursor = new ListPieceCursor(pieces);
    const sink = new ByteSink(8);
    const pages = cuts(expected.length, 9, random);
    for (let p = 0; p + 1 < pages.length; p++) cursor.copy(pages[p + 1] - pages[p], sink);
    expect([...new BigInt64Array(sink.view().slice().buffer)]).toEqual(expected);
    expect(cursor.range.any).toBe(expected.length > 0);
    if (expected.length > 0) {
      expect(new BigInt64Array(cursor.range.bytes()!.min.slice().buffer)[0]).toBe(expected.reduce((a, b) => (b < a ? b : a)));
    }
    expect(() => cursor.copy(1, sink)).toThrow(/beyond the last piece/);
  }
});

test('a PLAIN list column chunk from pieces has the bytes of the assembled column, compressed or not, pages small or large', () => {
  for (let seed = 1; seed <= 12; seed++) {
    const random = seeded(seed);
    const sources: SampleChunk[] = [randomChunk(120, seed, { longLists: true }), randomChunk(70, seed + 100)];
    const assembler = new StretchAssembler(sources[0].columns);
    let rows = 0;
    while (rows < 300) {
      const chunk = sources[Math.floor(random() * sources.length)];
      const from = Math.floor(random() * chunk.length);
      const to = Math.min(chunk.length, from + 1 + Math.floor(random() * 30));
      assembler.add(chunk, from, to);
      rows += to - from;
    }
    const stretches = assembler.takeStretches();
    assembler.addStretches(stretches);
    const listNames = new Set(sources[0].columns.filter((column) => column.type === 'list<int64>').map((column) => column.name));
    const piecewise = assembler.takeForEncoder(listNames);
    assembler.addStretches(stretches);
    const assembled = assembler.take();
    for (const compress of [undefined, (payload: Uint8Array) => payload.slice().reverse()]) {
      for (const pageBytes of [64, 1 << 20]) {
        const settings = { codec: compress ? CompressionCodec.ZSTD : CompressionCodec.UNCOMPRESSED, compress: compress ?? ((payload: Uint8Array) => payload.slice()), pageBytes, pageRows: 20_000, dictionaryPageBytes: 1 << 20 };
        for (let c = 0; c < assembled.columns.length; c++) {
          if (!listNames.has(assembled.columns[c].name)) continue;
          expect('pieces' in piecewise.columns[c]).toBe(true);
          const fromPieces = encodeColumnChunk(piecewise.columns[c], rows, 'plain', settings, 4);
          const fromAssembled = encodeColumnChunk(assembled.columns[c], rows, 'plain', settings, 4);
          expect(Buffer.concat(fromPieces.pieces).equals(Buffer.concat(fromAssembled.pieces))).toBe(true);
          expect(fromPieces.meta).toEqual(fromAssembled.meta);
          expect(() => encodeColumnChunk(piecewise.columns[c], rows, 'dictionary', settings, 4)).toThrow(/PLAIN only/);
        }
      }
    }
  }
});
