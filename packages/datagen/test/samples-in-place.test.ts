import * as fs from 'node:fs';
import * as path from 'node:path';
import { getPreset, writeSyntheticLog } from '@recd/datagen';
import type { LogSchema } from '@recd/datagen';
import { EventExtractor } from '../src/log/extract-events';
import { EventTable, EventTableBuilder } from '../src/log/events';
import { labelRuleOf } from '../src/log/log-schema';
import { readLog } from '../src/log/read-log';
import { generatePartitionSamples, GenerateContext } from '../src/samples/generate-partition';
import { NegativePool } from '../src/samples/negative-pool';
import { sampleLayout } from '../src/samples/sample-layout';
import { sessionize } from '../src/samples/sessions';
import { chunkRows, tempDir, writeFile } from './samples-helpers';

/** All events of a log as one table, as generateSamples reads them (one partition). */
async function eventsOf(file: string, schema: LogSchema): Promise<{ events: EventTable; pool: Int32Array }> {
  const extractor = new EventExtractor(schema);
  const table = new EventTableBuilder(schema.dense?.length ?? 0, schema.categorical?.length ?? 0);
  const block = new EventTableBuilder(schema.dense?.length ?? 0, schema.categorical?.length ?? 0);
  const pool = new NegativePool(1024, 1);
  for await (const { rows } of readLog(file, schema)) {
    block.clear();
    extractor.extract(rows, block);
    pool.offer(block.itemWords, 0, block.view().length);
    table.append(block.view());
  }
  return { events: table.view(), pool: pool.words() };
}

async function bothWays(file: string, schema: LogSchema, order: GenerateContext['order'], layout = {}) {
  const { events, pool } = await eventsOf(file, schema);
  const sessions = sessionize(events, { hasSessionColumn: schema.session !== undefined, gapMs: 30 * 60_000 });
  const context: GenerateContext = { layout: sampleLayout(schema, layout), label: labelRuleOf(schema), order, seed: 5, negativePool: pool };
  const inPlace = generatePartitionSamples(events, sessions, context, true);
  const sorted = generatePartitionSamples(events, sessions, context, false);
  return { inPlace, sorted };
}

describe('session-order samples written in place equal the generated-then-sorted twin', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('in-place');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('on a synthetic log, with short and long prefixes and histories', async () => {
    const log = path.join(dir, 'synth.csv');
    await writeSyntheticLog(log, { events: 2500, concurrentSessions: 60, seed: 9 });
    for (const layout of [{}, { prefixLength: 2, historyLength: 3 }, { prefixLength: 0, historyLength: 0 }]) {
      const { inPlace, sorted } = await bothWays(log, getPreset('synthetic'), 'session', layout);
      expect(inPlace.chunk.length).toBeGreaterThan(2000);
      expect(JSON.stringify(chunkRows(inPlace.chunk))).toBe(JSON.stringify(chunkRows(sorted.chunk)));
      expect(Array.from(inPlace.key)).toEqual(Array.from(sorted.key));
      expect(Array.from(inPlace.sub)).toEqual(Array.from(sorted.sub));
    }
  }, 30_000);

  it('with next-item labels and negatives (several samples per position, none at the first)', async () => {
    const lines = ['SessionId\tItemId\tTime'];
    for (let s = 0; s < 40; s++) for (let k = 0; k <= s % 7; k++) lines.push(`${s}\t${(s * 13 + k * 7) % 50}\t${1_600_000_000 + ((s * 37) % 11) * 60 + k}`);
    const log = writeFile(dir, 'views.tsv', lines.join('\n'));
    const { inPlace, sorted } = await bothWays(log, getPreset('yoochoose-prepared'), 'session');
    expect(inPlace.chunk.length).toBeGreaterThan(100);
    expect(chunkRows(inPlace.chunk)).toEqual(chunkRows(sorted.chunk));
  });

  it('falls back to sorting when two users share a session id and a start', async () => {
    const log = writeFile(
      dir,
      'shared.csv',
      ['session_id,user_id,item_id,category_id,timestamp,event', '5,1,10,1,1000,view', '5,2,20,1,1000,click', '5,1,11,1,2000,view', '5,2,21,1,3000,view', '6,1,30,1,1000,view'].join('\n'),
    );
    const { inPlace, sorted } = await bothWays(log, getPreset('synthetic'), 'session');
    expect(chunkRows(inPlace.chunk)).toEqual(chunkRows(sorted.chunk));
    expect(inPlace.chunk.columns.find((column) => column.name === 'session_id')!.values).toEqual(BigInt64Array.from([5n, 5n, 5n, 5n, 6n]));
  });
});
