import { readCsv } from '../src/csv/reader';
import type { CsvChunk } from '../src/csv/chunk';
import type { LogSchema } from '../src/log/log-schema';
import { BlockExtractor } from '../src/log/block-events';
import { CsvFastExtractor } from '../src/log/csv-fast-extract';
import { EventTableBuilder } from '../src/log/events';
import { CUSTOM, customLog, eventRows } from './read-helpers';

async function chunksOf(text: string, schema: LogSchema, chunkBytes: number): Promise<CsvChunk[]> {
  const chunks: CsvChunk[] = [];
  for await (const chunk of readCsv([Buffer.from(text)], { delimiter: schema.csv?.delimiter ?? ',', onError: 'skip', chunkBytes })) chunks.push(chunk);
  return chunks;
}

describe('CSV events straight from the bytes (CsvFastExtractor)', () => {
  it('gives what EventExtractor gives on every chunk it takes, and gives up on the others', async () => {
    const nextItem: LogSchema = { ...CUSTOM, event: undefined, rating: undefined, time: { column: 't', unit: 'epoch-ms' }, label: { kind: 'next-item', negatives: 2 } };
    // without sessions, the rows of unknown users (NA) are errors: every chunk has one, and is left alone
    const noSessions: LogSchema = { ...nextItem, session: undefined };
    for (const [schema, least] of [
      [CUSTOM, 0.25],
      [nextItem, 0.25],
      [noSessions, 0],
    ] as const) {
      const chunks = await chunksOf(customLog(3000, true, '\r\n'), schema, 900);
      const fast = new BlockExtractor(schema, 'skip');
      const plain = new BlockExtractor(schema, 'skip', { fast: false });
      const direct = CsvFastExtractor.for(schema)!;
      let taken = 0;
      for (const chunk of chunks) {
        const fromFast = fast.extract(chunk);
        const fromPlain = plain.extract(chunk);
        expect(eventRows(fromFast.table)).toEqual(eventRows(fromPlain.table));
        expect({ ...fromFast, table: undefined, items: undefined }).toEqual({ ...fromPlain, table: undefined, items: undefined });
        const out = new EventTableBuilder(1, 1, chunk.rowCount);
        if (direct.extract(chunk, out) !== undefined) {
          taken++;
          expect(fromPlain.rejected).toEqual([]);
          expect(out.length).toBe(fromPlain.table.length);
        }
      }
      // clean chunks are many, and chunks with a malformed row, a missing user without sessions or doubled quotes are left alone
      if (least > 0) expect(taken).toBeGreaterThan(chunks.length * least);
      else expect(taken).toBe(0);
      expect(taken).toBeLessThan(chunks.length);
    }
  });

  it('leaves ISO and offset times, and U+FFFD in event values, to EventExtractor', () => {
    expect(CsvFastExtractor.for({ ...CUSTOM, time: { column: 't', unit: 'iso' } })).toBeUndefined();
    expect(CsvFastExtractor.for({ ...CUSTOM, time: { column: 't', unit: 'offset-ms', dateColumn: 'd' } })).toBeUndefined();
    expect(CsvFastExtractor.for({ ...CUSTOM, event: { column: 'e', positive: ['\uFFFD'] } })).toBeUndefined();
    expect(CsvFastExtractor.for(CUSTOM)).toBeDefined();
  });
});
