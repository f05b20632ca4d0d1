import fc from 'fast-check';
import { InputError } from '@recd/core';
import { readCsv, type CsvChunk } from '@recd/datagen';

/** One chunk holding `values` as a single headerless column named "x". */
async function columnChunk(values: readonly string[]): Promise<CsvChunk> {
  const text = values.map((value) => `${value}\n`).join('');
  const chunks: CsvChunk[] = [];
  for await (const chunk of readCsv([Buffer.from(text)], { header: false, columns: ['x'], fileName: 'numbers.csv', skipEmptyLines: false })) {
    chunks.push(chunk);
  }
  expect(chunks).toHaveLength(1);
  return chunks[0];
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Decimal spellings of an integer: plain, with a plus sign, with leading zeros. */
function spellings(value: bigint): fc.Arbitrary<string> {
  return fc.constantFrom(0, 1, 2).map((style) => {
    const text = value.toString();
    if (style === 1 && value >= 0n) return `+${text}`;
    if (style === 2) return value < 0n ? `-00${text.slice(1)}` : `00${text}`;
    return text;
  });
}

describe('numbers parsed from field bytes', () => {
  it('int() reads every safe integer, and intColumn() agrees', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.maxSafeInteger().chain((n) => spellings(BigInt(n)).map((text) => [n, text] as const)), { minLength: 1 }), async (cases) => {
        const chunk = await columnChunk(cases.map(([, text]) => text));
        cases.forEach(([value], row) => expect(chunk.int(row, 0)).toBe(value));
        expect(Array.from(chunk.intColumn(0))).toEqual(cases.map(([value]) => value));
      }),
    );
  });

  it('int64Column() reads every int64 through 32-bit words, like BigInt()', async () => {
    const int64 = fc.oneof(fc.bigInt({ min: INT64_MIN, max: INT64_MAX }), fc.constantFrom(INT64_MIN, INT64_MAX, 0n, -1n, 2n ** 53n + 1n, -(2n ** 32n)));
    await fc.assert(
      fc.asyncProperty(fc.array(int64.chain((n) => spellings(n).map((text) => [n, text] as const)), { minLength: 1 }), async (cases) => {
        const chunk = await columnChunk(cases.map(([, text]) => text));
        expect(Array.from(chunk.int64Column(0))).toEqual(cases.map(([value]) => value));
        const words = new Int32Array(2);
        chunk.int64Words(0, 0, words, 0);
        expect(new BigInt64Array(words.buffer)[0]).toBe(cases[0][0]);
      }),
    );
  });

  it('float() matches Number() on any double and any short decimal', async () => {
    const spelled = fc.oneof(
      fc.double().map((x) => String(x)),
      fc.tuple(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 20 })).map(([x, digits]) => x.toExponential(digits)),
      fc.tuple(fc.stringMatching(/^-?[0-9]{1,20}$/), fc.stringMatching(/^[0-9]{0,20}$/), fc.integer({ min: -330, max: 330 })).map(
        ([whole, fraction, exponent]) => `${whole}.${fraction}e${exponent}`,
      ),
      fc.stringMatching(/^[+-]?[0-9]{0,8}\.[0-9]{1,8}$/),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(spelled, { minLength: 1 }), async (texts) => {
        const chunk = await columnChunk(texts);
        texts.forEach((text, row) => expect(Object.is(chunk.float(row, 0), Number(text))).toBe(true));
      }),
    );
  });

  it('float() reads nan and inf spellings', async () => {
    const chunk = await columnChunk(['nan', 'NaN', 'inf', '-Infinity', '+INF']);
    expect(Array.from(chunk.floatColumn(0))).toEqual([NaN, NaN, Infinity, -Infinity, Infinity]);
  });

  it.each([
    ['int', ['', '-', '+', '--1', '1.5', '1e3', ' 1', '1 ', '0x10', '9007199254740992', '-9007199254740992', 'abc']],
    ['int64', ['', '-', '12a', '9223372036854775808', '-9223372036854775809', '99999999999999999999', ' 5']],
    ['float', ['', '.', '-', 'e5', '1e', '1e+', '1.2.3', ' 1', '1 ', '0x10', '1_000', 'infinite', 'nanx']],
  ] as const)('%s rejects %j with an InputError naming file, line and column', async (kind, texts) => {
    const chunk = await columnChunk(texts);
    texts.forEach((text, row) => {
      const read = (): unknown => (kind === 'int' ? chunk.int(row, 0) : kind === 'float' ? chunk.float(row, 0) : chunk.int64Words(row, 0, new Int32Array(2), 0));
      expect(read).toThrow(InputError);
      expect(read).toThrow(`numbers.csv:${row + 1} field "x": expected `);
    });
  });

  it('intColumn() into an Int32Array rejects values outside int32', async () => {
    const chunk = await columnChunk(['2147483647', '-2147483648', '2147483648']);
    expect(() => chunk.intColumn(0, new Int32Array(3))).toThrow('numbers.csv:3 field "x": expected a 32-bit integer, got "2147483648"');
    const out = new Int32Array(5);
    expect(Array.from(chunk.intColumn(0, new Float64Array(5), 1))).toEqual([0, 2147483647, -2147483648, 2147483648, 0]);
    expect(() => chunk.intColumn(0, out, 3)).toThrow(RangeError);
  });
});
