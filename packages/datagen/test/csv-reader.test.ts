import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readCsv, type CsvChunk } from '@recd/datagen';
import { parseWithRecd } from './csv-helpers';

describe('readCsv', () => {
  it('reads the worked example of the CsvChunk docs', async () => {
    const chunks: CsvChunk[] = [];
    for await (const chunk of readCsv([Buffer.from('user_id,item,price\n7,"a ""b""",1.5\n')])) chunks.push(chunk);
    const [chunk] = chunks;
    expect(chunk.columns).toEqual(['user_id', 'item', 'price']);
    expect(chunk.rowCount).toBe(1);
    expect(chunk.lineNumbers[0]).toBe(2);
    expect(chunk.int(0, 0)).toBe(7);
    expect(chunk.string(0, 1)).toBe('a "b"');
    expect(chunk.float(0, 2)).toBe(1.5);
    expect(chunk.columnIndex('price')).toBe(2);
    expect(() => chunk.columnIndex('nope')).toThrow('no column "nope"; columns are user_id, item, price');
    expect(() => chunk.string(1, 0)).toThrow(RangeError);
  });

  it('reads a Node Readable of semicolon-separated text with a BOM and CRLF line breaks', async () => {
    const stream = Readable.from([Buffer.from('\ufeffsession_id;user_id\r\n1;NA\r\n'), Buffer.from('2;'), Buffer.from('17\r\n')]);
    const parsed: string[][] = [];
    const reader = readCsv(stream, { delimiter: ';' });
    for await (const chunk of reader) for (let row = 0; row < chunk.rowCount; row++) parsed.push([chunk.string(row, 0), chunk.string(row, 1)]);
    expect(reader.columns).toEqual(['session_id', 'user_id']);
    expect(parsed).toEqual([['1', 'NA'], ['2', '17']]);
  });

  it('reads a file path at any chunk size, and names a missing file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'recd-csv-'));
    try {
      const path = join(dir, 'ratings.csv');
      await writeFile(path, '\ufeffuserId,movieId,rating\r\n1,"1",4.0\r\n1,3,"4\r\n.5"\r\n2,"x,""y""",5');
      for (const chunkBytes of [1, 2, 3, 64, 1 << 20]) {
        const rows: (string | number)[][] = [];
        for await (const chunk of readCsv(path, { chunkBytes })) {
          for (let row = 0; row < chunk.rowCount; row++) rows.push([chunk.lineNumbers[row], chunk.string(row, 1), chunk.string(row, 2)]);
        }
        expect(rows).toEqual([[2, '1', '4.0'], [3, '3', '4\r\n.5'], [5, 'x,"y"', '5']]);
      }
      const missing = join(dir, 'missing.csv');
      await expect(readCsv(missing)[Symbol.asyncIterator]().next()).rejects.toThrow(`${missing}: no such file`);
    } finally {
      await rm(dir, { recursive: true });
    }
  });

  it('reads TSV with quoting off, so quotes are plain data', async () => {
    const parsed = await parseWithRecd('a\tb\n"x\ty"z\n', { delimiter: '\t', quote: null, header: false });
    expect(parsed.rows).toEqual([['a', 'b'], ['"x', 'y"z']]);
  });

  it('names headerless columns from the columns option, or column 1..N', async () => {
    expect((await parseWithRecd('1,2\n', { header: false, columns: ['user', 'item'] })).columns).toEqual(['user', 'item']);
    expect((await parseWithRecd('1,2\n', { header: false })).columns).toEqual(['column 1', 'column 2']);
  });

  it('skips blank lines by default and still counts them', async () => {
    const parsed = await parseWithRecd('a,b\n\n1,2\r\n\r\n\r3,4\n\n');
    expect(parsed.rows).toEqual([['1', '2'], ['3', '4']]);
    expect(parsed.lineNumbers).toEqual([3, 6]);
    const kept = await parseWithRecd('a\n\n1\n', { skipEmptyLines: false });
    expect(kept.rows).toEqual([[''], ['1']]);
  });

  it('yields nothing for an empty file, and the columns alone for a header-only one', async () => {
    expect(await parseWithRecd('')).toEqual({ columns: undefined, rows: [], lineNumbers: [], rejected: [] });
    expect(await parseWithRecd('\ufeffa,b\r\n')).toEqual({ columns: ['a', 'b'], rows: [], lineNumbers: [], rejected: [] });
  });

  it('keeps each chunk valid after the loop moves on, and bounds chunk size', async () => {
    const text = `n,s\n${Array.from({ length: 500 }, (_, i) => `${i},"r${i}"`).join('\n')}\n`;
    const chunks: CsvChunk[] = [];
    for await (const chunk of readCsv([Buffer.from(text)], { chunkBytes: 256 })) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(10);
    expect(Math.max(...chunks.map((chunk) => chunk.bytes.length))).toBe(256);
    expect(chunks.flatMap((chunk) => Array.from(chunk.intColumn(0)))).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(chunks.flatMap((chunk) => chunk.stringColumn(1)).at(-1)).toBe('r499');
  });

  it('stops the stream when the caller breaks out early, and reads only once', async () => {
    const stream = Readable.from((function* () {
      for (let i = 0; i < 1000; i++) yield Buffer.from(`${i}\n`);
    })());
    const reader = readCsv(stream, { header: false, chunkBytes: 16 });
    for await (const chunk of reader) {
      void chunk;
      break;
    }
    expect(stream.destroyed).toBe(true);
    await expect(reader[Symbol.asyncIterator]().next()).rejects.toThrow('a CsvReader reads its input once');
  });

  it('rejects options it cannot honour', () => {
    expect(() => readCsv([], { delimiter: '::' })).toThrow('delimiter must be one ASCII character other than CR and LF, got "::"');
    expect(() => readCsv([], { delimiter: '"' })).toThrow('delimiter and quote must differ');
    expect(() => readCsv([], { columns: ['a'] })).toThrow('pass header: false');
    expect(() => readCsv([], { chunkBytes: 0 })).toThrow('chunkBytes must be an integer');
    expect(() => readCsv([], { onError: 'ignore' as 'skip' })).toThrow('onError must be one of stop, skip, got "ignore"');
  });
});
