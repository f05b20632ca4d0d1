/**
 * The native encoder's RLE / bit-packing hybrid (encode/native/rle-hybrid.ts) against a small
 * independent decoder written here from the format text (parquet-format Encodings.md), and
 * against the loader's decoder: bit widths 0..32, runs short and long, alternating, single values,
 * counts not a multiple of 8.
 */
import fc from 'fast-check';
import { ByteSink } from '../src/encode/native/byte-sink';
import { RleHybridEncoder, bitWidthOf } from '../src/encode/native/rle-hybrid';
import { decodeHybrid } from '../../loader/src/parquet/rle-hybrid';

/** Decodes `count` values (as unsigned 32-bit numbers); also returns the bytes read and the runs seen. */
function decodeNaive(bytes: Uint8Array, bitWidth: number, count: number): { values: number[]; end: number; rleRuns: number; packedRuns: number } {
  const values: number[] = [];
  let pos = 0;
  let rleRuns = 0;
  let packedRuns = 0;
  const uleb = (): number => {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= bytes.length) throw new Error('header past the end');
      const byte = bytes[pos++];
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
    }
  };
  while (values.length < count) {
    const header = uleb();
    if (header % 2 === 1) {
      packedRuns++;
      const groups = Math.floor(header / 2);
      if (groups === 0) throw new Error('a bit-packed run of no groups');
      const start = pos;
      pos += groups * bitWidth;
      if (pos > bytes.length) throw new Error('bit-packed run past the end');
      for (let i = 0; i < groups * 8; i++) {
        let value = 0;
        for (let b = 0; b < bitWidth; b++) {
          const bit = i * bitWidth + b;
          if ((bytes[start + (bit >> 3)] >> (bit & 7)) & 1) value += 2 ** b;
        }
        if (values.length < count) values.push(value);
        else if (value !== 0) throw new Error(`padding value ${value} is not 0`);
      }
    } else {
      rleRuns++;
      const length = header / 2;
      if (length === 0) throw new Error('an RLE run of no values');
      const width = Math.ceil(bitWidth / 8);
      if (pos + width > bytes.length) throw new Error('RLE value past the end');
      let value = 0;
      for (let b = 0; b < width; b++) value += bytes[pos + b] * 2 ** (8 * b);
      pos += width;
      if (bitWidth < 32 && value >= 2 ** bitWidth) throw new Error(`RLE value ${value} wider than ${bitWidth} bits`);
      if (values.length + length > count) throw new Error(`RLE run of ${length} past the ${count} values`);
      for (let i = 0; i < length; i++) values.push(value);
    }
  }
  return { values, end: pos, rleRuns, packedRuns };
}

function encode(runs: readonly [number, number][], bitWidth: number): Uint8Array {
  const sink = new ByteSink(4);
  const encoder = new RleHybridEncoder(sink, bitWidth);
  for (const [value, count] of runs) encoder.run(value, count);
  encoder.finish();
  return sink.view().slice();
}

const expand = (runs: readonly [number, number][]): number[] => runs.flatMap(([value, count]) => Array<number>(Math.max(0, count)).fill(value >>> 0));

function checkRoundTrip(runs: readonly [number, number][], bitWidth: number): Uint8Array {
  const bytes = encode(runs, bitWidth);
  const expected = expand(runs);
  const decoded = decodeNaive(bytes, bitWidth, expected.length);
  expect(firstDifference(decoded.values, expected)).toBe(-1);
  expect(decoded.end).toBe(bytes.length); // nothing written past the values
  const loader = new Int32Array(expected.length);
  decodeHybrid(bytes, 0, bytes.length, bitWidth, loader, expected.length);
  expect(firstDifference(Array.from(loader, (v) => v >>> 0), expected)).toBe(-1);
  return bytes;
}

/** The first index where the arrays differ (-1: none; a length difference counts), cheaper than toEqual on long arrays. */
function firstDifference(actual: readonly number[], expected: readonly number[]): number {
  const n = Math.min(actual.length, expected.length);
  for (let i = 0; i < n; i++) if (actual[i] !== expected[i]) return i;
  return actual.length === expected.length ? -1 : n;
}

const WIDTHS = Array.from({ length: 33 }, (_, w) => w);

/** Runs of values within `bitWidth` bits: lengths biased to 1..9 (around a group of 8) with some long ones. */
function runsArb(bitWidth: number): fc.Arbitrary<[number, number][]> {
  const max = bitWidth === 32 ? 0xffffffff : 2 ** bitWidth - 1;
  const value = fc.oneof(fc.integer({ min: 0, max }), fc.constantFrom(0, max, Math.floor(max / 2)));
  const length = fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 8, max: 40 }), fc.integer({ min: 100, max: 600 }), fc.constant(0));
  return fc.array(fc.tuple(value, length), { maxLength: 40 });
}

test.each(WIDTHS)('bit width %i: random run sequences decode to the values written (property)', (bitWidth) => {
  fc.assert(
    fc.property(runsArb(bitWidth), (runs) => {
      checkRoundTrip(runs, bitWidth);
    }),
    { numRuns: bitWidth === 0 || [1, 7, 8, 24, 25, 32].includes(bitWidth) ? 100 : 25 },
  );
});

describe.each([1, 7, 8, 24, 25, 32])('bit width %i, shapes', (bitWidth) => {
  const max = bitWidth === 32 ? 0xffffffff : 2 ** bitWidth - 1;
  test('single values, alternating values, lengths not a multiple of 8', () => {
    for (const n of [1, 2, 7, 8, 9, 15, 16, 17, 63, 64, 65, 503, 504, 505, 1000, 1001]) {
      checkRoundTrip(Array.from({ length: n }, (_, i): [number, number] => [i % 2 === 0 ? max : 0, 1]), bitWidth);
      checkRoundTrip(Array.from({ length: n }, (_, i): [number, number] => [(i * 2654435761) % (max + 1), 1]), bitWidth);
      checkRoundTrip([[max, n]], bitWidth);
    }
  });

  test('one long run is one RLE run; runs of 8+ after short ones still decode and stay compact', () => {
    const bytes = checkRoundTrip([[max, 20_000]], bitWidth);
    expect(bytes.length).toBeLessThanOrEqual(3 + Math.ceil(bitWidth / 8));
    const mixed: [number, number][] = [];
    for (let i = 0; i < 200; i++) mixed.push([i % 3 === 0 ? max : i & 1, 1 + ((i * 7) % 13)]);
    mixed.push([0, 5000], [max, 3], [0, 8], [max, 1]);
    checkRoundTrip(mixed, bitWidth);
  });

  test('repeated calls with one value merge into one run; zero counts are ignored', () => {
    const split = encode([[max, 3], [max, 0], [max, 5], [max, 992]], bitWidth);
    expect(split).toEqual(encode([[max, 1000]], bitWidth));
    expect(decodeNaive(split, bitWidth, 1000).rleRuns).toBe(1);
  });
});

test('bit width 0: any count of zeros, no value bytes', () => {
  for (const n of [1, 7, 8, 9, 1000]) {
    const bytes = checkRoundTrip([[0, n]], 0);
    expect(decodeNaive(bytes, 0, n).end).toBe(bytes.length);
  }
});

test('bit-packed runs hold at most 63 groups, so each header is one byte', () => {
  const runs = Array.from({ length: 2000 }, (_, i): [number, number] => [i & 1, 1]);
  const bytes = checkRoundTrip(runs, 1);
  const decoded = decodeNaive(bytes, 1, 2000);
  expect(decoded.packedRuns).toBe(Math.ceil(2000 / 504));
  expect(bytes.length).toBe(decoded.packedRuns + 2000 / 8);
});

test('nothing is written for no values', () => {
  for (const bitWidth of [0, 1, 17, 32]) expect(encode([], bitWidth).length).toBe(0);
});

test('bit widths outside 0..32 are refused; bitWidthOf gives the bits of the largest value', () => {
  for (const bitWidth of [-1, 33, 1.5, NaN]) expect(() => new RleHybridEncoder(new ByteSink(), bitWidth)).toThrow(/outside 0..32/);
  expect([0, 1, 2, 3, 255, 256, 2 ** 24 - 1, 2 ** 31 - 1].map(bitWidthOf)).toEqual([0, 1, 2, 2, 8, 9, 24, 31]);
});

test('finish() ends the stream: its last group is padded with zeros, so a later run is refused', () => {
  const sink = new ByteSink();
  const encoder = new RleHybridEncoder(sink, 2);
  encoder.run(1, 3);
  encoder.finish();
  expect(() => encoder.run(2, 3)).toThrow(/finished/);
  expect(decodeNaive(sink.view(), 2, 3).values).toEqual([1, 1, 1]);
});
