import * as fs from 'node:fs';
import { readCsv } from '../src/csv/reader';
import type { CsvChunk } from '../src/csv/chunk';
import type { LogSchema } from '../src/log/log-schema';
import { BlockExtractor } from '../src/log/block-events';
import { CsvFastExtractor } from '../src/log/csv-fast-extract';
import { EventTableBuilder } from '../src/log/events';
import { EventPartitioner, eventPartitions } from '../src/log/partitioner';
import { CUSTOM, customLog, eventRows } from './read-helpers';
import { tempDir } from './samples-helpers';

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

describe('partitions found in the extracting thread (eventPartitions)', () => {
  it('partition as EventPartitioner.add finds them itself, spilling included', async () => {
    const chunks = await chunksOf(customLog(3000, false, '\n'), CUSTOM, 3000);
    const extractor = new BlockExtractor(CUSTOM, 'stop');
    for (const partitions of [1, 5]) {
      const dirs = [tempDir('partition-of'), tempDir('partition-of')];
      const made = dirs.map((tmpDir) => new EventPartitioner({ partitions, numDense: 1, numCategorical: 1, tmpDir, budgetBytes: 40_000 }));
      for (const chunk of chunks) {
        const block = extractor.extract(chunk, partitions);
        expect(block.partitionOf).toEqual(eventPartitions(block.table, partitions));
        made[0].add(block.table);
        made[1].add(block.table, block.partitionOf);
      }
      expect(made[1].spills).toBe(made[0].spills);
      expect(made[0].spills).toBeGreaterThan(0);
      for (let p = 0; p < partitions; p++) expect(eventRows(made[1].take(p))).toEqual(eventRows(made[0].take(p)));
      for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
