import fc from 'fast-check';
import { csvDocumentArbitrary, parseWithCsvParse, parseWithFastCsv, parseWithRecd, textOf } from './csv-helpers';

const chunkBytesArbitrary = fc.integer({ min: 1, max: 96 });
const pieceSizesArbitrary = fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 6 });

describe('readCsv against fast-csv and csv-parse on generated RFC 4180 files', () => {
  it('gives the same fields, and the line number where each row starts, at any chunk and piece size', async () => {
    await fc.assert(
      fc.asyncProperty(csvDocumentArbitrary(), chunkBytesArbitrary, pieceSizesArbitrary, async (document, chunkBytes, pieceSizes) => {
        const { delimiter, header } = document;
        const ours = await parseWithRecd(document.text, { delimiter, header, chunkBytes }, pieceSizes);
        const allRows = header ? [[...(ours.columns ?? [])], ...ours.rows] : ours.rows;
        expect(allRows).toEqual(document.rows);
        if (!document.hasUnquotedBlankField) expect(allRows).toEqual(await parseWithFastCsv(document.text, delimiter));
        expect(allRows).toEqual(parseWithCsvParse(document.text, delimiter));
        expect(ours.lineNumbers).toEqual(document.lineNumbers.slice(header ? 1 : 0));
        expect(ours.rejected).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('does not depend on how the bytes are split', async () => {
    await fc.assert(
      fc.asyncProperty(csvDocumentArbitrary(), chunkBytesArbitrary, pieceSizesArbitrary, async (document, chunkBytes, pieceSizes) => {
        const options = { delimiter: document.delimiter, header: document.header };
        const whole = await parseWithRecd(document.text, options);
        const split = await parseWithRecd(document.text, { ...options, chunkBytes }, pieceSizes);
        expect(split).toEqual(whole);
      }),
      { numRuns: 200 },
    );
  });

  it("in skip mode drops exactly a row given an extra field, reporting its line and raw text", async () => {
    await fc.assert(
      fc.asyncProperty(csvDocumentArbitrary(), fc.nat(), chunkBytesArbitrary, pieceSizesArbitrary, async (document, pick, chunkBytes, pieceSizes) => {
        fc.pre(document.rows.length >= 2);
        const { delimiter, header } = document;
        const bad = 1 + (pick % (document.rows.length - 1));
        const encodedRows = document.encodedRows.map((encoded, r) => (r === bad ? `${encoded}${delimiter}x` : encoded));
        const { text, lineNumbers } = textOf({ ...document, encodedRows });
        const parsed = await parseWithRecd(text, { delimiter, header, chunkBytes, onError: 'skip' }, pieceSizes);
        const fieldCount = document.rows[0].length;
        const kept = (rows: readonly unknown[]): unknown[] => rows.filter((_, r) => r !== bad).slice(header ? 1 : 0);
        expect(parsed.rows).toEqual(kept(document.rows));
        expect(parsed.lineNumbers).toEqual(kept(lineNumbers));
        expect(parsed.rejected).toEqual([
          { line: lineNumbers[bad], field: `column ${fieldCount + 1}`, reason: `expected ${fieldCount} fields, got ${fieldCount + 1}`, raw: encodedRows[bad] },
        ]);
      }),
      { numRuns: 200 },
    );
  });
});
