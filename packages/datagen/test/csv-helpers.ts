/** Shared by the CSV tests: a generator of RFC 4180 documents with known content, and the parsers to compare. */
import fc from 'fast-check';
import { parseString } from 'fast-csv';
import { parse as csvParseSync } from 'csv-parse/sync';
import { readCsv, type CsvReadOptions, type RejectedRow } from '@recd/datagen';

export interface CsvDocument {
  /** Every row of the file, the header row (if any) included. */
  rows: string[][];
  delimiter: string;
  header: boolean;
  bom: boolean;
  text: string;
  /** 1-based line where each row of `rows` starts. */
  lineNumbers: number[];
  /** Each row as written, without its line break. */
  encodedRows: string[];
  /** The line break after each row ('' after the last one when the file has no trailing line break). */
  lineBreaks: string[];
  /** Some unquoted field is all spaces or tabs: fast-csv reads it as empty (csv-parse and RFC 4180 keep it). */
  hasUnquotedBlankField: boolean;
}

const FIELD_CHARACTERS = ['a', 'b', 'Z', '0', '7', ' ', '-', '.', '"', ',', ';', '\t', '\r', '\n', 'é', '€', '😀'];

const fieldArbitrary = fc.string({ unit: fc.constantFrom(...FIELD_CHARACTERS), maxLength: 8 });

/** RFC 4180 files: quotes, delimiters and CR/LF/CRLF inside quoted fields, BOM, any line break, no trailing one. */
export function csvDocumentArbitrary(): fc.Arbitrary<CsvDocument> {
  return fc
    .record({
      fieldCount: fc.integer({ min: 1, max: 5 }),
      rowCount: fc.integer({ min: 1, max: 12 }),
      delimiter: fc.constantFrom(',', ';', '\t'),
      header: fc.boolean(),
      bom: fc.boolean(),
      trailingLineBreak: fc.boolean(),
      lineBreaks: fc.array(fc.constantFrom('\n', '\r\n', '\r'), { minLength: 1, maxLength: 3 }),
      seedFields: fc.array(fc.tuple(fieldArbitrary, fc.boolean()), { minLength: 60, maxLength: 60 }),
    })
    .map(({ fieldCount, rowCount, delimiter, header, bom, trailingLineBreak, lineBreaks, seedFields }) => {
      const rows: string[][] = [];
      const encodedRows: string[] = [];
      let hasUnquotedBlankField = false;
      for (let r = 0; r < rowCount; r++) {
        const row: string[] = [];
        const encoded: string[] = [];
        for (let j = 0; j < fieldCount; j++) {
          const [text, forceQuotes] = seedFields[r * fieldCount + j];
          row.push(text);
          const field = encodeField(text, delimiter, forceQuotes || (fieldCount === 1 && text === ''));
          if (/^[ \t]+$/.test(field)) hasUnquotedBlankField = true;
          encoded.push(field);
        }
        rows.push(row);
        encodedRows.push(encoded.join(delimiter));
      }
      const breaks = encodedRows.map((_, r) => (r === rowCount - 1 && !trailingLineBreak ? '' : lineBreaks[r % lineBreaks.length]));
      const document = { rows, delimiter, header, bom, encodedRows, lineBreaks: breaks, hasUnquotedBlankField };
      return { ...document, ...textOf(document) };
    });
}

/** The file's text, and the line where each row starts, from its encoded rows and line breaks. */
export function textOf(document: Pick<CsvDocument, 'bom' | 'encodedRows' | 'lineBreaks'>): { text: string; lineNumbers: number[] } {
  const lineNumbers: number[] = [];
  let text = document.bom ? '\ufeff' : '';
  let line = 1;
  document.encodedRows.forEach((encoded, r) => {
    lineNumbers.push(line);
    line += countLineBreaks(encoded) + 1;
    text += encoded + document.lineBreaks[r];
  });
  return { text, lineNumbers };
}

function encodeField(text: string, delimiter: string, forceQuotes: boolean): string {
  const needsQuotes = forceQuotes || text.includes(delimiter) || /["\r\n]/.test(text);
  return needsQuotes ? `"${text.replaceAll('"', '""')}"` : text;
}

export function countLineBreaks(text: string): number {
  return (text.match(/\r\n|\r|\n/g) ?? []).length;
}

/** Yields `bytes` in pieces of the given sizes, cycling through them. */
export async function* piecesOf(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  for (let at = 0, i = 0; at < bytes.length; i++) {
    const size = Math.max(1, sizes[i % sizes.length]);
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

export interface ParsedCsv {
  columns: readonly string[] | undefined;
  rows: string[][];
  lineNumbers: number[];
  rejected: RejectedRow[];
}

/** Reads text through `readCsv`, delivered in pieces, and decodes every field. */
export async function parseWithRecd(text: string | Buffer, options: CsvReadOptions = {}, pieceSizes: readonly number[] = [1 << 20]): Promise<ParsedCsv> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const reader = readCsv(piecesOf(bytes, pieceSizes), { fileName: 'test.csv', ...options });
  const parsed: ParsedCsv = { columns: undefined, rows: [], lineNumbers: [], rejected: [] };
  for await (const chunk of reader) {
    for (let row = 0; row < chunk.rowCount; row++) {
      const fields: string[] = [];
      for (let field = 0; field < chunk.fieldCount; field++) fields.push(chunk.string(row, field));
      parsed.rows.push(fields);
      parsed.lineNumbers.push(chunk.lineNumbers[row]);
    }
    parsed.rejected.push(...chunk.rejected);
  }
  parsed.columns = reader.columns;
  return parsed;
}

export function parseWithFastCsv(text: string, delimiter: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const rows: string[][] = [];
    parseString<string[], string[]>(text.replace(/^\ufeff/, ''), { delimiter, headers: false })
      .on('data', (row: string[]) => rows.push(row))
      .on('error', reject)
      .on('end', () => resolve(rows));
  });
}

export function parseWithCsvParse(text: string, delimiter: string): string[][] {
  return csvParseSync(text, { delimiter, bom: true, record_delimiter: ['\r\n', '\n', '\r'], relax_column_count: true });
}
