import * as fs from 'node:fs';
import * as path from 'node:path';
import { InputError, SchemaError } from '@recd/core';
import { generateSamples, getPreset } from '@recd/datagen';
import { openDatasetManifest } from '../src/dataset';
import { readRows, sortedKeys, tempDir, writeFile } from './samples-helpers';

// Two users: u7 has sessions 100 (3 events) and 101 (2 events, later); anonymous session 200.
// Rows are deliberately out of time order within sessions, and session 101 interleaves with 200.
const SYNTHETIC = [
  'session_id,user_id,item_id,category_id,timestamp,event',
  '100,7,11,1,1767225600000,view', // 2026-01-01T00:00:00Z, a Thursday
  '100,7,13,1,1767225720000,buy',
  '100,7,12,2,1767225660000,click',
  '200,NA,50,5,1767229200000,view',
  '101,7,21,3,1767232800000,click', // 02:00 UTC
  '200,NA,51,5,1767229260000,view',
  '101,7,22,3,1767232860000,view',
].join('\n');

describe('generateSamples on the synthetic preset', () => {
  let dir: string;
  let log: string;
  beforeAll(() => {
    dir = tempDir('samples');
    log = writeFile(dir, 'log.csv', SYNTHETIC);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes one sample per event with labels, prefixes and user histories', async () => {
    const output = path.join(dir, 'session');
    const result = await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output, layout: { historyLength: 4, prefixLength: 2 } });
    expect(result.events).toBe(7);
    const manifest = await openDatasetManifest(output);
    expect(manifest).toMatchObject({ rows: 7, sessions: 3, order: 'session', codec: 'zstd' });
    const rows = await readRows(output);
    // session order: sessions by start time, samples by time within a session
    expect(rows.map((row) => row.session_id)).toEqual(['100', '100', '100', '200', '200', '101', '101']);
    expect(rows.map((row) => row.item_id)).toEqual(['11', '12', '13', '50', '51', '21', '22']);
    expect(rows.map((row) => row.label)).toEqual([0, 1, 1, 0, 0, 1, 0]);
    expect(rows.map((row) => row.session_prefix)).toEqual([[], ['11'], ['11', '12'], [], ['50'], [], ['21']]);
    expect(rows.map((row) => row.position)).toEqual([0, 1, 2, 0, 1, 0, 1]);
    expect(rows.map((row) => row.time_since_start)).toEqual([0, 60, 120, 0, 60, 0, 60]);
    // session-constant: user, the last 4 items of earlier sessions, start hour and weekday
    expect(rows[5].user_id).toBe('7');
    expect(rows[5].user_history).toEqual(['11', '12', '13']);
    expect(rows[0].user_history).toEqual([]);
    expect(rows[3].user_id).toBe('0');
    expect(rows[5].session_hour).toBe('2');
    expect(rows[0].session_weekday).toBe('4');
    expect(rows[1].item_category).toBe('2');
    const features = manifest.schema.features;
    expect(features.filter((f) => f.dedupGroup === 'session').map((f) => f.name)).toEqual(['user_id', 'user_history', 'session_hour', 'session_weekday']);
    expect(features.find((f) => f.name === 'user_history')).toMatchObject({ kind: 'sequence', maxLength: 4 });
  });

  it('writes the same samples in time, random and user order, sorted accordingly', async () => {
    const reference = sortedKeys(await readRows(path.join(dir, 'session')));
    await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output: path.join(dir, 'time'), order: 'time', layout: { historyLength: 4, prefixLength: 2 } });
    const timeRows = await readRows(path.join(dir, 'time'));
    expect(sortedKeys(timeRows)).toEqual(reference);
    const times = timeRows.map((row) => Number(row.timestamp));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(timeRows.map((row) => row.session_id)).toEqual(['100', '100', '100', '200', '200', '101', '101']);
    const random = async (seed: number, name: string) => {
      await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output: path.join(dir, name), order: 'random', seed, layout: { historyLength: 4, prefixLength: 2 } });
      return readRows(path.join(dir, name));
    };
    const a = await random(3, 'random-a');
    const b = await random(3, 'random-b');
    expect(sortedKeys(a)).toEqual(reference);
    expect(a).toEqual(b);
    // user order: u7's sessions 100 and 101 together, then the anonymous session 200 (later first start)
    await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output: path.join(dir, 'user'), order: 'user', layout: { historyLength: 4, prefixLength: 2 } });
    const userRows = await readRows(path.join(dir, 'user'));
    expect(sortedKeys(userRows)).toEqual(reference);
    expect(userRows.map((row) => row.session_id)).toEqual(['100', '100', '100', '101', '101', '200', '200']);
  });

  it('is byte-for-byte the same dataset when it spills under a tiny memory budget', async () => {
    for (const order of ['session', 'time', 'random', 'user'] as const) {
      const big = path.join(dir, `mem-${order}`);
      const tiny = path.join(dir, `spill-${order}`);
      await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output: big, order });
      const spilled = await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output: tiny, order, memoryMb: 0.0001, partitions: 4 });
      expect(spilled.spilledBytes).toBeGreaterThan(0);
      expect(fs.readFileSync(path.join(tiny, 'part-00000.parquet')).equals(fs.readFileSync(path.join(big, 'part-00000.parquet')))).toBe(true);
    }
  });

  it('splits by session hash into shards, and --shard i/N gives the same shard alone', async () => {
    const all = path.join(dir, 'sharded');
    const result = await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output: all, shards: 3 });
    expect(result.manifest.shards).toHaveLength(3);
    expect(result.manifest.shards.reduce((sum, shard) => sum + shard.rows, 0)).toBe(7);
    const allRows = await readRows(all);
    expect(sortedKeys(allRows)).toEqual(sortedKeys(await readRows(path.join(dir, 'session'))));
    const sessionsOfShard = new Map<string, number>();
    for (let i = 0; i < 3; i++) {
      const one = path.join(dir, `shard-${i}`);
      const alone = await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output: one, shard: { index: i, count: 3 } });
      expect(alone.manifest.shardOf).toEqual({ index: i, count: 3 });
      expect(alone.manifest.rows).toBe(result.manifest.shards[i].rows);
      for (const row of await readRows(one)) {
        expect(sessionsOfShard.get(row.session_id as string) ?? i).toBe(i);
        sessionsOfShard.set(row.session_id as string, i);
      }
    }
    expect(sessionsOfShard.size).toBe(3);
  });
});

describe('generateSamples on bad input', () => {
  let dir: string;
  beforeAll(() => (dir = tempDir('bad')));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const bad = [
    'session_id,user_id,item_id,category_id,timestamp,event',
    '1,7,11,1,1767225600000,view',
    '1,7,abc,1,1767225660000,view',
    '1,7,12,1,1767225720000',
    '1,7,13,1,not-a-time,click',
    '1,7,14,1,1767225780000,click',
  ].join('\n');

  it('stops at the first malformed row, naming file, line and field, and leaves no dataset', async () => {
    const badValue = writeFile(dir, 'bad.csv', bad.split('\n').filter((_, i) => i !== 3).join('\n'));
    const output = path.join(dir, 'out-stop');
    const run = generateSamples({ inputs: [badValue], schema: getPreset('synthetic'), output });
    await expect(run).rejects.toThrow(InputError);
    await expect(generateSamples({ inputs: [badValue], schema: getPreset('synthetic'), output })).rejects.toThrow(/bad\.csv:3 field "item_id": expected a 64-bit integer/);
    const badShape = writeFile(dir, 'short.csv', bad.split('\n').filter((_, i) => i !== 2).join('\n'));
    await expect(generateSamples({ inputs: [badShape], schema: getPreset('synthetic'), output })).rejects.toThrow(/short\.csv:3 field "event": expected 6 fields, got 5/);
    expect(fs.existsSync(output)).toBe(false);
  });

  it('with skip, counts the rejected rows, reports them in the manifest and writes them out', async () => {
    const log = writeFile(dir, 'bad2.csv', bad);
    const output = path.join(dir, 'out-skip');
    const result = await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output, onError: 'skip' });
    expect(result.rejected).toBe(3);
    expect(result.manifest.rows).toBe(2);
    expect(result.manifest.rejects).toEqual({ count: 3, file: 'rejects.jsonl' });
    const rejects = fs.readFileSync(path.join(output, 'rejects.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(rejects.map((reject) => reject.line).sort()).toEqual([3, 4, 5]);
    expect(rejects.find((reject) => reject.line === 5)).toMatchObject({ field: 'timestamp' });
    expect(rejects.find((reject) => reject.line === 3).text).toContain('abc');
  });

  it('rejects an empty log, a missing column and an unknown preset clearly', async () => {
    const empty = writeFile(dir, 'empty.csv', 'session_id,user_id,item_id,category_id,timestamp,event\n');
    await expect(generateSamples({ inputs: [empty], schema: getPreset('synthetic'), output: path.join(dir, 'o1') })).rejects.toThrow(/no events: the input is empty/);
    const missing = writeFile(dir, 'missing.csv', 'session_id,user_id,item_id,timestamp\n1,2,3,4\n');
    await expect(generateSamples({ inputs: [missing], schema: getPreset('synthetic'), output: path.join(dir, 'o2') })).rejects.toThrow(/missing\.csv:1 field "event": missing event column "event"; the columns are session_id, user_id, item_id, timestamp/);
    expect(() => getPreset('nope')).toThrow(SchemaError);
    expect(() => getPreset('nope')).toThrow(/unknown preset "nope"; known presets: diginetica/);
    await expect(generateSamples({ inputs: [path.join(dir, 'absent.csv')], schema: getPreset('synthetic'), output: path.join(dir, 'o3') })).rejects.toThrow(/absent\.csv: no such file/);
  });

  it('keeps ids beyond 2^53 and negative ids exact', async () => {
    const log = writeFile(
      dir,
      'big.csv',
      ['session_id,user_id,item_id,category_id,timestamp,event', '9223372036854775807,-9223372036854775808,9007199254740993,1,1000,click', '9223372036854775807,-9223372036854775808,-5,1,2000,view'].join('\n'),
    );
    const output = path.join(dir, 'big');
    await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output });
    const rows = await readRows(output);
    expect(rows.map((row) => row.item_id)).toEqual(['9007199254740993', '-5']);
    expect(rows[0].session_id).toBe('9223372036854775807');
    expect(rows[1].user_id).toBe('-9223372036854775808');
    expect(rows[1].session_prefix).toEqual(['9007199254740993']);
  });
});
