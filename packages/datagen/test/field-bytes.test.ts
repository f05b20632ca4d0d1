/**
 * The byte-level field checks (log/field-bytes.ts) against their plain twins on decoded strings,
 * and event extraction from CSV chunks (which offer `fieldSpan`) against extraction from the same
 * rows without it (every field decoded): the same events, the same errors.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import type { LogSchema } from '@recd/datagen';
import { EventExtractor } from '../src/log/extract-events';
import { EventTable, EventTableBuilder } from '../src/log/events';
import { FieldTextCache, equalsAny, isShortDecimal, utf8Texts } from '../src/log/field-bytes';
import type { LogRows } from '../src/log/log-rows';
import { readLog } from '../src/log/read-log';
import { tempDir } from './samples-helpers';

const pieces = ['', '0', '7', '12', '+', '-', 'NA', 'null', 'a', 'é', '😀', ' ', '999999999', '"'];
const textArbitrary = fc.array(fc.constantFrom(...pieces), { maxLength: 5 }).map((parts) => parts.join(''));

describe('field checks from bytes equal their string twins', () => {
  it('equalsAny, isShortDecimal and FieldTextCache (property)', () => {
    fc.assert(
      fc.property(fc.array(textArbitrary, { minLength: 1, maxLength: 40, size: 'max' }), fc.array(textArbitrary, { maxLength: 4 }), (texts, candidates) => {
        const candidateBytes = utf8Texts(candidates);
        const cache = new FieldTextCache(3, 6);
        for (const text of texts) {
          const bytes = Buffer.from(`xy${text}z`);
          const [start, end] = [2, bytes.length - 1];
          expect(equalsAny(bytes, start, end, candidateBytes)).toBe(candidates.includes(text));
          expect(isShortDecimal(bytes, start, end)).toBe(/^[+-]?\d{1,18}$/.test(text));
          expect(cache.text(bytes, start, end)).toBe(text);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('never matches bytes that are not UTF-8 to a text', () => {
    const bytes = Buffer.from([0xff, 0xfe]);
    expect(bytes.toString('utf8')).toBe('\ufffd\ufffd');
    expect(equalsAny(bytes, 0, 2, utf8Texts(['\ufffd']))).toBe(false);
  });
});

/** The same rows with only the LogRows methods every format has: extraction decodes each field. */
function withoutSpans(rows: LogRows): LogRows {
  return {
    file: rows.file,
    columns: rows.columns,
    rowCount: rows.rowCount,
    lineNumbers: rows.lineNumbers,
    columnIndex: (name) => rows.columnIndex(name),
    string: (row, field) => rows.string(row, field),
    float: (row, field) => rows.float(row, field),
    int64Words: (row, field, words, wordIndex) => rows.int64Words(row, field, words, wordIndex),
  };
}

async function extractBothWays(file: string, schema: LogSchema): Promise<{ spans: EventTable; plain: EventTable }> {
  const [spans, plain] = [new EventExtractor(schema), new EventExtractor(schema)];
  const tables = [new EventTableBuilder(1, 1), new EventTableBuilder(1, 1)];
  for await (const { rows } of readLog(file, schema)) {
    expect(rows.fieldSpan).toBeDefined();
    spans.extract(rows, tables[0]);
    plain.extract(withoutSpans(rows), tables[1]);
  }
  return { spans: tables[0].view(), plain: tables[1].view() };
}

function columnsOf(table: EventTable): Record<string, unknown[]> {
  const { dense, categorical, ...columns } = table;
  const out: Record<string, unknown[]> = {};
  for (const [name, column] of Object.entries(columns)) if (ArrayBuffer.isView(column)) out[name] = Array.from(column as ArrayLike<unknown>);
  dense.forEach((column, d) => (out[`dense${d}`] = Array.from(column)));
  categorical.forEach((column, c) => (out[`categorical${c}`] = Array.from(column)));
  return out;
}

describe('event extraction with field spans equals extraction without them', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('field-bytes');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const schema: LogSchema = {
    csv: { delimiter: ',' },
    session: 'session',
    user: 'user',
    item: 'item',
    time: { column: 'time', unit: 'epoch-ms' },
    category: 'category',
    event: { column: 'event', positive: ['click', 'bu"y'], ignore: ['skip'] },
    label: { kind: 'event' },
    dense: ['price'],
    categorical: ['brand'],
    nullValues: ['', 'NA', 'nul"l'],
  };

  it('on nulls, quoted and doubled-quote fields, decimal and text categories, signs, long ids and many event types', async () => {
    const categories = ['12', '-7', '+3', '123456789012345678', '1234567890123456789', 'S', 'é', '"4""2"', 'NA', '', '"nul""l"', '0x1', '1.5'];
    const events = ['view', 'click', '"bu""y"', 'skip', 'café', '"view"', ...Array.from({ length: 40 }, (_, k) => `type${k}`)];
    const lines = ['session,user,item,time,category,event,price,brand'];
    for (let i = 0; i < 600; i++) {
      const user = i % 11 === 0 ? 'NA' : i % 13 === 0 ? '"nul""l"' : String(1000 + (i % 17));
      const price = i % 5 === 0 ? '' : i % 7 === 0 ? '"NA"' : `${(i % 9) * 1.25}`;
      lines.push([i >> 3, user, 500 + (i % 23), 1_700_000_000_000 + i * 1000, categories[i % categories.length], events[(i * 7) % events.length], price, categories[(i * 5) % categories.length]].join(','));
    }
    const file = path.join(dir, 'log.csv');
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const { spans, plain } = await extractBothWays(file, schema);
    expect(spans.length).toBeGreaterThan(500);
    expect(columnsOf(spans)).toEqual(columnsOf(plain));
  });

  it('stops on the same malformed field with the same message', async () => {
    const file = path.join(dir, 'bad.csv');
    fs.writeFileSync(file, 'session,user,item,time,category,event,price,brand\n1,2,3,4,5,view,1.5,7\n1,2,3,4,5,view,abc,7\n');
    const messages: string[] = [];
    for (const wrap of [(rows: LogRows) => rows, withoutSpans]) {
      const extractor = new EventExtractor(schema);
      const table = new EventTableBuilder(1, 1);
      try {
        for await (const { rows } of readLog(file, schema)) extractor.extract(wrap(rows), table);
      } catch (error) {
        messages.push((error as Error).message);
      }
    }
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/bad\.csv:3 field "price"/);
    expect(messages[1]).toBe(messages[0]);
  });
});
