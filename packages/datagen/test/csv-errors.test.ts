import { InputError } from '@recd/core';
import { readCsv, type CsvReadOptions } from '@recd/datagen';
import { parseWithRecd } from './csv-helpers';

/** The error reading `text` throws, at every chunk size (the row must be found whole however the bytes fall). */
async function errorOf(text: string, options: CsvReadOptions = {}): Promise<InputError> {
  const errors: InputError[] = [];
  for (const chunkBytes of [1, 7, 1 << 20]) {
    try {
      await parseWithRecd(text, { fileName: 'events.csv', chunkBytes, ...options });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      errors.push(error);
    }
  }
  expect(errors).toHaveLength(3);
  for (const error of errors) expect(error.message).toBe(errors[0].message);
  return errors[0];
}

describe('malformed rows stop the reader with an InputError naming file, line and field', () => {
  it('a row with too few fields names the first missing column', async () => {
    const error = await errorOf('user,item,price\n1,2,3\n4,5\n');
    expect(error.location).toEqual({ file: 'events.csv', line: 3, field: 'price' });
    expect(error.message).toBe('events.csv:3 field "price": expected 3 fields, got 2; row "4,5"');
  });

  it('a row with too many fields names the first extra one', async () => {
    const error = await errorOf('user,item\n1,2\n3,4,5\n');
    expect(error.message).toBe('events.csv:3 field "column 3": expected 2 fields, got 3; row "3,4,5"');
  });

  it('counts lines inside quoted fields (LF, CRLF and CR) when naming the line', async () => {
    const error = await errorOf('a,b\r\n"x\r\ny\nz\rw",1\r\n2\r\n');
    expect(error.message).toBe('events.csv:6 field "b": expected 2 fields, got 1; row "2"');
  });

  it('an unterminated quote at the end of the input names the field it opens', async () => {
    const error = await errorOf('a,b\n1,2\n3,"open\n4,5\n');
    expect(error.message).toBe('events.csv:3 field "b": unterminated quoted field: no closing quote before the end of the input; row "3,\\"open"');
  });

  it('a stray quote inside an unquoted field is rejected by default, kept as data on request', async () => {
    const error = await errorOf('a,b\n1,x"y\n');
    expect(error.location).toEqual({ file: 'events.csv', line: 2, field: 'b' });
    expect(error.message).toContain('a quote inside an unquoted field');
    const kept = await parseWithRecd('a,b\n1,x"y\n', { strayQuotes: 'keep' });
    expect(kept.rows).toEqual([['1', 'x"y']]);
  });

  it('text after a closing quote is rejected', async () => {
    const error = await errorOf('a,b\n"x"y,1\n');
    expect(error.message).toBe('events.csv:2 field "a": "y" after the closing quote (expected the delimiter or a line break); row "\\"x\\"y,1"');
  });

  it('a malformed header row always throws, in skip mode too', async () => {
    const error = await errorOf('a,"b\n1,2\n', { onError: 'skip' });
    expect(error.message).toContain('events.csv:1 field "column 2": unterminated quoted field');
    expect(error.message).toContain('header row');
  });

  it('a file path source is named by its path', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = await mkdtemp(join(tmpdir(), 'recd-csv-'));
    const path = join(dir, 'views.csv');
    try {
      await writeFile(path, 'a;b\n1;2\n3\n');
      const read = async (): Promise<void> => {
        for await (const chunk of readCsv(path, { delimiter: ';' })) void chunk;
      };
      await expect(read()).rejects.toThrow(`${path}:3 field "b": expected 2 fields, got 1`);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it.each([
    ['a quote left open', `a,b\n1,"${'x\n'.repeat(50)}`],
    ['a long unquoted row', `a,b\n1,2\n1,${'x'.repeat(65)}\n`],
    ['a long quoted field', `a,b\n1,2\n1,"${'x'.repeat(62)}"\r\n2,3\n`],
  ])('a row longer than maxRowBytes stops the reader, in skip mode too (%s)', async (_, text) => {
    const error = await errorOf(text, { maxRowBytes: 64, onError: 'skip' });
    expect(error.message).toMatch(/^events\.csv:[23]: row longer than maxRowBytes \(64 bytes\); is a quote left open\?$/);
  });

  it('a row of exactly maxRowBytes is fine', async () => {
    const parsed = await parseWithRecd(`a,b\r\n1,"${'x'.repeat(60)}"\r\n`, { maxRowBytes: 64, chunkBytes: 1 });
    expect(parsed.rows[0][1]).toHaveLength(60);
  });
});

describe("onError: 'skip'", () => {
  const text = ['id,name', '1,one', '2', '3,"th""ree"', '4,x"y', '"5"z,five', '6,six,extra', '7,"se', 'ven"', '8,eight'].join('\r\n');

  it.each([1, 5, 1 << 20])('drops malformed rows, reports line, field, reason and raw text, and keeps the rest (chunkBytes %i)', async (chunkBytes) => {
    const parsed = await parseWithRecd(text, { onError: 'skip', chunkBytes });
    expect(parsed.rows).toEqual([['1', 'one'], ['3', 'th"ree'], ['7', 'se\r\nven'], ['8', 'eight']]);
    expect(parsed.lineNumbers).toEqual([2, 4, 8, 10]);
    expect(parsed.rejected).toEqual([
      { line: 3, field: 'name', reason: 'expected 2 fields, got 1', raw: '2' },
      { line: 5, field: 'name', reason: 'a quote inside an unquoted field (quote the whole field and double the quote)', raw: '4,x"y' },
      { line: 6, field: 'id', reason: '"z" after the closing quote (expected the delimiter or a line break)', raw: '"5"z,five' },
      { line: 7, field: 'column 3', reason: 'expected 2 fields, got 3', raw: '6,six,extra' },
    ]);
  });

  it('resumes after an unterminated quote at the next line, and counts what it dropped', async () => {
    const reader = readCsv([Buffer.from('a,b\n1,2\n3,"oops\n4,5\n6,7')], { onError: 'skip', fileName: 'x.csv' });
    const rows: string[][] = [];
    const rejectedLines: number[] = [];
    for await (const chunk of reader) {
      for (let row = 0; row < chunk.rowCount; row++) rows.push([chunk.string(row, 0), chunk.string(row, 1)]);
      for (const rejected of chunk.rejected) rejectedLines.push(rejected.line);
    }
    expect(rows).toEqual([['1', '2'], ['4', '5'], ['6', '7']]);
    expect(rejectedLines).toEqual([3]);
    expect(reader.rejectedCount).toBe(1);
    expect(reader.rowsRead).toBe(3);
  });
});
