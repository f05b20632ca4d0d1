/**
 * The RLE / bit-packing hybrid decoder against a naive twin: streams built value by value (bit by
 * bit for packed runs) from random runs, every bit width 1..32, decoded back exactly; list row
 * starts from repetition levels equal those found by scanning the decoded levels.
 */
import fc from 'fast-check';
import { decodeHybrid, entriesBelow, leadingRunValue, rowStartsOfRepetition } from '../src/parquet/rle-hybrid';

type Run = { kind: 'rle'; value: number; length: number } | { kind: 'packed'; values: number[] };

function varint(n: number, out: number[]): void {
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
}

/** The naive encoder: RLE runs as (header, value bytes), packed runs bit by bit, LSB first. */
function encode(runs: Run[], bitWidth: number): { bytes: Uint8Array; values: number[] } {
  const out: number[] = [];
  const values: number[] = [];
  for (const run of runs) {
    if (run.kind === 'rle') {
      varint(run.length * 2, out);
      for (let i = 0; i < Math.ceil(bitWidth / 8); i++) out.push(Math.floor(run.value / 2 ** (8 * i)) & 0xff);
      for (let i = 0; i < run.length; i++) values.push(run.value);
    } else {
      const groups = Math.ceil(run.values.length / 8);
      varint(groups * 2 + 1, out);
      const bits: number[] = [];
      for (let i = 0; i < groups * 8; i++) {
        const value = run.values[i] ?? 0;
        for (let b = 0; b < bitWidth; b++) bits.push(Math.floor(value / 2 ** b) % 2);
      }
      for (let i = 0; i < bits.length; i += 8) out.push(bits.slice(i, i + 8).reduce((byte, bit, j) => byte | (bit << j), 0));
      values.push(...run.values);
    }
  }
  return { bytes: Uint8Array.from(out), values };
}

const runsOf = (bitWidth: number) => {
  const value = fc.integer({ min: 0, max: 2 ** bitWidth - 1 });
  return fc.array(
    fc.oneof(
      fc.record({ kind: fc.constant('rle' as const), value, length: fc.integer({ min: 1, max: 20 }) }),
      // packed runs are whole groups of 8 except the stream's last values, so keep them whole here
      fc.record({ kind: fc.constant('packed' as const), values: fc.integer({ min: 1, max: 4 }).chain((groups) => fc.array(value, { minLength: groups * 8, maxLength: groups * 8 })) }),
    ),
    { minLength: 1, maxLength: 8 },
  );
};

test('property: decodeHybrid decodes what the naive encoder wrote, every bit width', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 32 }).chain((w) => fc.tuple(fc.constant(w), runsOf(w))), ([bitWidth, runs]) => {
      const { bytes, values } = encode(runs, bitWidth);
      const out = new Int32Array(values.length);
      const end = decodeHybrid(bytes, 0, bytes.length, bitWidth, out, values.length);
      expect(Array.from(out, (v) => v >>> 0)).toEqual(values);
      expect(end).toBe(bytes.length);
    }),
    { numRuns: 400 },
  );
});

test('property: list row starts from repetition levels, run by run, equal a scan of the decoded levels', () => {
  fc.assert(
    fc.property(runsOf(1), fc.integer({ min: 0, max: 100 }), (runs, base) => {
      // a page starts a row: level 0 first
      const { bytes, values } = encode([{ kind: 'rle', value: 0, length: 1 }, ...runs], 1);
      const expected = values.flatMap((level, e) => (level === 0 ? [base + e] : []));
      const offsets = new Int32Array(expected.length + 1);
      const rows = rowStartsOfRepetition(bytes, 0, bytes.length, 1, values.length, offsets, 0, base);
      expect(rows).toBe(expected.length);
      expect(Array.from(offsets.subarray(0, rows))).toEqual(expected);
    }),
    { numRuns: 300 },
  );
});

test('leadingRunValue: a stream that opens with one long enough run, else undefined', () => {
  const { bytes } = encode([{ kind: 'rle', value: 3, length: 10 }], 2);
  expect(leadingRunValue(bytes, 0, bytes.length, 2, 10)).toBe(3);
  expect(leadingRunValue(bytes, 0, bytes.length, 2, 11)).toBeUndefined();
  const packed = encode([{ kind: 'packed', values: [3, 3, 3, 3, 3, 3, 3, 3] }], 2);
  expect(leadingRunValue(packed.bytes, 0, packed.bytes.length, 2, 8)).toBeUndefined();
});

test('truncated data is an error, not a short result', () => {
  const { bytes } = encode([{ kind: 'packed', values: [1, 2, 3, 4, 5, 6, 7, 0] }], 3);
  expect(() => decodeHybrid(bytes, 0, bytes.length - 1, 3, new Int32Array(8), 8)).toThrow('past the end');
  expect(() => decodeHybrid(bytes, 0, bytes.length, 3, new Int32Array(16), 16)).toThrow('ends after 8 of 16 values');
});

test('property: entries below the maximum level, run by run, equal a scan of the decoded levels; another level is reported', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 3 }).chain((w) => fc.tuple(fc.constant(w), runsOf(w), fc.integer({ min: 0, max: 2 ** w - 1 }))), ([bitWidth, runs, allowed]) => {
      const { bytes, values } = encode(runs, bitWidth);
      const max = 2 ** bitWidth - 1;
      const below = values.flatMap((level, e) => (level < max ? [e] : []));
      const expected = values.every((level) => level === max || level === allowed) ? below : undefined;
      const found = entriesBelow(bytes, 0, bytes.length, bitWidth, values.length, max, allowed);
      expect(found && Array.from(found)).toEqual(expected);
    }),
    { numRuns: 400 },
  );
});
