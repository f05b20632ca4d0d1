import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateSamples, getPreset, readParquetLayout, writeSyntheticLog } from '@recd/datagen';
import { sampleOrderKey } from '../src/samples/order-keys';
import { readRows, tempDir } from './samples-helpers';

describe('sampleOrderKey', () => {
  const key = (userStart: number, rankInUser: number) => sampleOrderKey('user', { start: 0, userStart, rankInUser, hash: 0 }, 0, 0);
  it('user: orders by the user start, then by rank, exactly for times up to 2^42 ms', () => {
    for (const start of [0, 1_767_225_600_000, 2 ** 42 - 2, -86_400_000]) {
      expect(key(start, 0)).toBeLessThan(key(start, 1));
      expect(key(start, 2046)).toBeLessThan(key(start, 2047));
      expect(key(start, 2047)).toBeLessThan(key(start + 1, 0));
    }
    expect(key(1000.7, 0)).toBe(key(1000, 0));
  });
  it('user: ties beyond 2^11 sessions of a user (the merge then falls back to session id)', () => {
    expect(key(5, 2047)).toBe(key(5, 5000));
  });
  it('session: the session start; time: the sample time; random: a hash of session and index', () => {
    const session = { start: 1500.5, userStart: 9, rankInUser: 9, hash: 77 };
    expect(sampleOrderKey('session', session, 1234.5, 0)).toBe(1500.5);
    expect(sampleOrderKey('time', session, 1234.5, 0)).toBe(1234.5);
    expect(sampleOrderKey('random', session, 0, 3)).toBe(sampleOrderKey('random', { ...session, start: 1, userStart: 2 }, 3, 3));
    expect(sampleOrderKey('random', session, 0, 3)).not.toBe(sampleOrderKey('random', session, 0, 4));
  });
});

jest.setTimeout(60_000);

describe('user order', () => {
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
    const result = await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output, order: 'user', layout: { historyLength: 8, prefixLength: 3 } });
    expect(result.manifest.order).toBe('user');
    const rows = await readRows(output);
    expect(rows.length).toBe(3000);
    const runs = (key: (i: number) => string): string[] => rows.map((_, i) => key(i)).filter((k, i, all) => i === 0 || k !== all[i - 1]);
    const sessionRuns = runs((i) => String(rows[i].session_id));
    const userRuns = runs((i) => String(rows[i].user_id));
    expect(new Set(sessionRuns).size).toBe(sessionRuns.length);
    expect(new Set(userRuns).size).toBe(userRuns.length);
    expect(userRuns.length).toBeLessThanOrEqual(40);
    // users by their first session's start: the first sample of each user's run (position 0)
    const firstStarts = rows.filter((row, i) => i === 0 || row.user_id !== rows[i - 1].user_id).map((row) => Number(row.timestamp));
    expect(rows.filter((row, i) => i === 0 || row.user_id !== rows[i - 1].user_id).every((row) => row.position === 0)).toBe(true);
    expect(firstStarts).toEqual([...firstStarts].sort((a, b) => a - b));
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
    expect(layout.columns.find((column) => column.name === 'user_id')?.encodings).not.toContain('RLE_DICTIONARY');
    expect(layout.columns.find((column) => column.name === 'label')?.encodings).toContain('RLE_DICTIONARY');
  });

  it('is byte-for-byte the same when the log is split in partitions and spilled', async () => {
    const big = path.join(dir, 'in-memory');
    const tiny = path.join(dir, 'spilled');
    await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output: big, order: 'user' });
    const spilled = await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output: tiny, order: 'user', memoryMb: 0.05, partitions: 7 });
    expect(spilled.spilledBytes).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(tiny, 'part-00000.parquet')).equals(fs.readFileSync(path.join(big, 'part-00000.parquet')))).toBe(true);
  });
});
