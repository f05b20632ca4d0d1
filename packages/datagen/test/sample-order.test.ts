import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateSamples, getPreset, readParquetLayout, writeSyntheticLog } from '@recd/datagen';
import { readRows, tempDir } from './samples-helpers';

jest.setTimeout(60_000);

describe('session order is user-major', () => {
  let dir: string;
  let log: string;
  beforeAll(async () => {
    dir = tempDir('sample-order');
    log = path.join(dir, 'log.csv');
    await writeSyntheticLog(log, { events: 3000, users: 40, concurrentSessions: 30, seed: 5 });
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("keeps each session's samples together, and each user's sessions together in start order", async () => {
    const output = path.join(dir, 'session');
    await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output, layout: { historyLength: 8, prefixLength: 3 } });
    const rows = await readRows(output);
    expect(rows.length).toBe(3000);
    const runs = (key: (i: number) => string): string[] => rows.map((_, i) => key(i)).filter((k, i, all) => i === 0 || k !== all[i - 1]);
    const sessionRuns = runs((i) => String(rows[i].session_id));
    const userRuns = runs((i) => String(rows[i].user_id));
    expect(new Set(sessionRuns).size).toBe(sessionRuns.length);
    expect(new Set(userRuns).size).toBe(userRuns.length);
    expect(userRuns.length).toBeLessThanOrEqual(40);
    // within a user, sessions by start time (the first sample of a session is its start)
    for (let i = 1; i < rows.length; i++) {
      const newSession = rows[i].session_id !== rows[i - 1].session_id;
      if (newSession && rows[i].user_id === rows[i - 1].user_id) {
        const previousStart = Number(rows[i - 1].timestamp) - 1000 * Number(rows[i - 1].time_since_start);
        expect(Number(rows[i].timestamp)).toBeGreaterThanOrEqual(Math.round(previousStart));
      }
    }
    // consecutive sessions of a user: the later history ends with the earlier session's items,
    // the overlap the page compressor finds when they are stored together
    let checked = 0;
    for (let i = 1, sessionFrom = 0; i < rows.length; i++) {
      if (rows[i].session_id === rows[i - 1].session_id) continue;
      if (rows[i].user_id === rows[i - 1].user_id && rows[i].user_id !== '0') {
        const earlierItems = rows.slice(sessionFrom, i).map((row) => row.item_id as string);
        expect((rows[i].user_history as string[]).slice(-Math.min(8, earlierItems.length))).toEqual(earlierItems.slice(-8));
        checked++;
      }
      sessionFrom = i;
    }
    expect(checked).toBeGreaterThan(10);
    const layout = await readParquetLayout(path.join(output, 'part-00000.parquet'));
    expect(layout.columns.find((column) => column.name === 'timestamp')?.encodings).toContain('DELTA_BINARY_PACKED');
    expect(layout.columns.find((column) => column.name === 'time_since_start')?.encodings).toContain('BYTE_STREAM_SPLIT');
  });

  it('is byte-for-byte the same when the log is split in partitions and spilled', async () => {
    const big = path.join(dir, 'in-memory');
    const tiny = path.join(dir, 'spilled');
    await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output: big });
    const spilled = await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output: tiny, memoryMb: 0.05, partitions: 7 });
    expect(spilled.spilledBytes).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(tiny, 'part-00000.parquet')).equals(fs.readFileSync(path.join(big, 'part-00000.parquet')))).toBe(true);
  });
});
