/**
 * The native DELTA_BINARY_PACKED encoder (encode/native/delta-binary-packed.ts), both its double
 * path (|v| < 2^51) and its BigInt path: decoded by the loader's decoder and by a BigInt decoder
 * written here, and byte for byte against a BigInt encoder written here (with block size 128, 4
 * miniblocks, the smallest bit widths and whole padded miniblocks, the encoding is unique).
 */
import fc from 'fast-check';
import { ByteSink } from '../src/encode/native/byte-sink';
import { encodeDeltaBinaryPacked } from '../src/encode/native/delta-binary-packed';
import { deltaBinaryPackedToPlain } from '../../loader/src/parquet/delta-binary-packed';

const MIN = -(2n ** 63n);
const MAX = 2n ** 63n - 1n;
const EDGE = 2n ** 51n;

function encode(values: readonly bigint[], from = 0, to = values.length): Uint8Array {
  const words = new Int32Array(BigInt64Array.from(values).buffer);
  const sink = new ByteSink(8);
  encodeDeltaBinaryPacked(words, from, to, sink);
  return sink.view().slice();
}

/** The naive twin: BigInt deltas wrapping at 64 bits, smallest widths, every used miniblock padded to 32 values. */
function encodeNaive(values: readonly bigint[]): Uint8Array {
  const bytes: number[] = [];
  const uleb = (n: bigint): void => {
    do {
      const byte = Number(n & 0x7fn);
      n >>= 7n;
      bytes.push(n > 0n ? byte | 0x80 : byte);
    } while (n > 0n);
  };
  const zigzag = (n: bigint): void => uleb(BigInt.asUintN(64, (n << 1n) ^ (n >> 63n)));
  uleb(128n);
  uleb(4n);
  uleb(BigInt(values.length));
  zigzag(values[0] ?? 0n);
  const deltas = values.slice(1).map((v, i) => BigInt.asIntN(64, v - values[i]));
  for (let b = 0; b * 128 < deltas.length; b++) {
    const block = deltas.slice(b * 128, (b + 1) * 128);
    const min = block.reduce((a, d) => (d < a ? d : a));
    zigzag(min);
    const packed = block.map((d) => BigInt.asUintN(64, d - min));
    const used = Math.ceil(block.length / 32);
    const widths = [0, 1, 2, 3].map((m) => (m >= used ? 0 : packed.slice(m * 32, (m + 1) * 32).reduce((w, p) => Math.max(w, p === 0n ? 0 : p.toString(2).length), 0)));
    bytes.push(...widths);
    for (let m = 0; m < used; m++) {
      let bits = 0n;
      for (let j = 0; j < 32; j++) bits |= (packed[m * 32 + j] ?? 0n) << BigInt(j * widths[m]);
      for (let k = 0; k < 4 * widths[m]; k++) bytes.push(Number((bits >> BigInt(8 * k)) & 0xffn));
    }
  }
  return Uint8Array.from(bytes);
}

/** An independent decoder in BigInt: header, then blocks, values wrapping at 64 bits. */
function decodeNaive(data: Uint8Array): { values: bigint[]; end: number } {
  let pos = 0;
  const uleb = (): bigint => {
    let value = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = data[pos++];
      if (byte === undefined) throw new Error('past the end');
      value |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return value;
    }
  };
  const zigzag = (): bigint => {
    const n = uleb();
    return BigInt.asIntN(64, (n >> 1n) ^ -(n & 1n));
  };
  const blockSize = Number(uleb());
  const miniblocks = Number(uleb());
  const count = Number(uleb());
  const first = zigzag();
  const values: bigint[] = count > 0 ? [first] : [];
  const per = blockSize / miniblocks;
  while (values.length < count) {
    const min = zigzag();
    const widths = Array.from(data.subarray(pos, pos + miniblocks));
    pos += miniblocks;
    for (let m = 0; m < miniblocks && values.length < count; m++) {
      const width = widths[m];
      for (let j = 0; j < per; j++) {
        let packed = 0n;
        for (let b = 0; b < width; b++) {
          const bit = j * width + b;
          if ((data[pos + (bit >> 3)] >> (bit & 7)) & 1) packed |= 1n << BigInt(b);
        }
        if (values.length < count) values.push(BigInt.asIntN(64, values[values.length - 1] + min + packed));
      }
      pos += (per * width) / 8;
    }
  }
  return { values, end: pos };
}

function check(values: readonly bigint[]): void {
  const bytes = encode(values);
  expect(Array.from(bytes)).toEqual(Array.from(encodeNaive(values)));
  const naive = decodeNaive(bytes);
  expect(naive.values).toEqual(values);
  expect(naive.end).toBe(bytes.length);
  const plain = deltaBinaryPackedToPlain(bytes, 0, values.length, 'x');
  expect(Array.from(new BigInt64Array(plain.buffer, plain.byteOffset, values.length))).toEqual(values);
}

/** A seeded generator (tests are reproducible without fast-check's seed). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const random = lcg(42);
const randomInt64 = (): bigint => BigInt.asIntN(64, (BigInt(Math.floor(random() * 2 ** 32)) << 32n) | BigInt(Math.floor(random() * 2 ** 32)));

test.each<[string, () => bigint[]]>([
  ['no values', () => []],
  ['one value', () => [123_456_789n]],
  ['one negative value', () => [-5n]],
  ['one INT64 minimum', () => [MIN]],
  ['two values', () => [7n, -7n]],
  ['33 values (a second miniblock of one)', () => Array.from({ length: 33 }, (_, i) => BigInt(i * i))],
  ['129 values (one whole block)', () => Array.from({ length: 129 }, (_, i) => BigInt(i * 3 - 100))],
  ['130 values (a second block of one delta)', () => Array.from({ length: 130 }, (_, i) => BigInt((i * 7919) % 1000))],
  ['1000 values, random within ±2^31', () => Array.from({ length: 1000 }, () => BigInt(Math.floor(random() * 2 ** 32) - 2 ** 31))],
  ['1000 constant values (widths 0)', () => Array(1000).fill(-42n)],
  ['monotone times in milliseconds', () => {
    let t = 1_767_225_600_000n;
    return Array.from({ length: 1000 }, () => (t += BigInt(Math.floor(random() * 5000))));
  }],
  ['session-ordered times (steady, with jumps back)', () => {
    let t = 1_767_225_600n;
    return Array.from({ length: 777 }, (_, i) => (t += i % 50 === 0 ? -BigInt(Math.floor(random() * 1e6)) : BigInt(Math.floor(random() * 60))));
  }],
  ['negative values falling', () => Array.from({ length: 500 }, (_, i) => BigInt(-i * 1_000_003))],
  ['deltas needing 25..52 bits (the wide double path)', () => Array.from({ length: 600 }, (_, i) => BigInt(Math.floor((random() - 0.5) * 2 ** (25 + (i % 26))))) ],
  ['the double path edges: ±(2^51 - 1) and -2^51 alternating', () => Array.from({ length: 300 }, (_, i) => [EDGE - 1n, -EDGE, 1n - EDGE, 0n][i % 4])],
  ['values straddling ±2^51 (the BigInt path)', () => Array.from({ length: 300 }, (_, i) => [EDGE - 1n, EDGE, -EDGE, -EDGE - 1n, EDGE + 1n][i % 5])],
  ['one value of 2^51 among small ones', () => Array.from({ length: 400 }, (_, i) => (i === 399 ? EDGE : BigInt(i)))],
  ['INT64 extremes alternating (wrapping deltas)', () => Array.from({ length: 300 }, (_, i) => (i % 2 === 0 ? MIN : MAX))],
  ['INT64 extremes with neighbours', () => Array.from({ length: 257 }, (_, i) => [MIN, MAX, 0n, -1n, MIN + 1n, MAX - 1n, 1n][(i * 5) % 7])],
  ['1000 random int64', () => Array.from({ length: 1000 }, randomInt64)],
])('%s: decodes exactly, the same bytes as the BigInt twin', (_name, values) => {
  check(values());
});

test('a range from..to of a larger array encodes as those values alone', () => {
  const values = Array.from({ length: 700 }, (_, i) => (i % 3 === 0 ? randomInt64() : BigInt(i * 1000)));
  for (const [from, to] of [[0, 0], [5, 6], [1, 130], [129, 700], [300, 301], [17, 611]]) {
    expect(Array.from(encode(values, from, to))).toEqual(Array.from(encodeNaive(values.slice(from, to))));
  }
});

const int64 = fc.oneof(
  fc.bigInt({ min: MIN, max: MAX }),
  fc.constantFrom(MIN, MAX, 0n, -1n, 1n, MIN + 1n, MAX - 1n, EDGE, -EDGE, EDGE - 1n, -EDGE - 1n),
  fc.bigInt({ min: -EDGE, max: EDGE - 1n }),
  fc.bigInt({ min: -1000n, max: 1000n }),
);

test('any int64 values: the same bytes as the BigInt twin, decoded exactly (property)', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.array(int64, { maxLength: 400 }),
        fc.array(fc.bigInt({ min: -EDGE, max: EDGE - 1n }), { maxLength: 400 }),
        fc.array(fc.bigInt({ min: -(2n ** 20n), max: 2n ** 20n }), { maxLength: 400 }),
      ),
      (values) => check(values),
    ),
    { numRuns: 120 },
  );
});
