import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SYNTH_OPTIONS, resolveSynthOptions, synthesizeLog, writeSyntheticLog, type SynthOptions } from '../src/synth';

const OPTIONS: SynthOptions = { events: 3_000, items: 1_000, categories: 20, concurrentSessions: 100, chunkBytes: 4096 };

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'recd-synth-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

async function inMemory(options: SynthOptions): Promise<string> {
  let text = '';
  await synthesizeLog(options, (chunk) => void (text += chunk));
  return text;
}

describe('writeSyntheticLog', () => {
  it('writes exactly what synthesizeLog streams, and leaves no temporary file', async () => {
    const path = join(folder, 'log.csv');
    const progress: number[] = [];
    const summary = await writeSyntheticLog(path, OPTIONS, (done) => progress.push(done));
    const text = await readFile(path, 'latin1');
    expect(text).toBe(await inMemory(OPTIONS));
    expect(summary.bytes).toBe(text.length);
    expect(summary.events).toBe(3_000);
    expect(progress.at(-1)).toBe(3_000);
    expect(await readdir(folder)).toEqual(['log.csv']);
  });

  it('leaves nothing behind, and an existing file untouched, when writing fails midway', async () => {
    const path = join(folder, 'log.csv');
    await writeFile(path, 'previous log\n');
    const failure = new Error('disk full (simulated)');
    let calls = 0;
    const failing = writeSyntheticLog(path, OPTIONS, () => {
      if (++calls === 2) throw failure;
    });
    await expect(failing).rejects.toBe(failure);
    expect(await readdir(folder)).toEqual(['log.csv']);
    expect(await readFile(path, 'utf8')).toBe('previous log\n');
  });

  it('creates no file at all for bad options', async () => {
    const path = join(folder, 'log.csv');
    await expect(writeSyntheticLog(path, { events: 0 })).rejects.toThrow(RangeError);
    expect(await readdir(folder)).toEqual([]);
  });

  it('rejects when the folder does not exist', async () => {
    await expect(writeSyntheticLog(join(folder, 'missing', 'log.csv'), OPTIONS)).rejects.toThrow(/ENOENT/);
  });
});

describe('synthesizeLog: writer and options', () => {
  it('passes on a failing writer', async () => {
    const failure = new Error('pipe closed');
    let chunks = 0;
    const failing = synthesizeLog(OPTIONS, async () => {
      if (++chunks === 3) throw failure;
    });
    await expect(failing).rejects.toBe(failure);
    expect(chunks).toBe(3);
  });

  it('exports its defaults and derives users from events', () => {
    expect(DEFAULT_SYNTH_OPTIONS).toMatchObject({
      events: 200_000,
      items: 50_000,
      categories: 500,
      itemZipf: 1,
      meanSessionLength: 10,
      clickRate: 0.08,
      buyRate: 0.1,
      concurrentSessions: 10_000,
      startTime: Date.parse('2026-01-01T00:00:00Z'),
      seed: 1,
    });
    expect(Object.isFrozen(DEFAULT_SYNTH_OPTIONS)).toBe(true);
    const resolved = resolveSynthOptions({});
    expect(resolved.users).toBe(5_000);
    expect(resolved.durationDays).toBeUndefined();
    expect(resolveSynthOptions({ events: 10, users: 3 }).users).toBe(3);
  });

  it('derives the mean gap from durationDays', () => {
    const resolved = resolveSynthOptions({ events: 1_000_000, concurrentSessions: 100, durationDays: 10 });
    expect(resolved.meanGapSeconds).toBeCloseTo((10 * 86_400 * 100) / 1_000_000, 10);
  });

  it.each<[string, SynthOptions, RegExp]>([
    ['no events', { events: 0 }, /events must be an integer in 1 \.\. \d+, got 0/],
    ['fractional events', { events: 2.5 }, /events must be an integer/],
    ['more categories than items', { items: 10, categories: 11 }, /categories must be an integer in 1 \.\. 10, got 11/],
    ['a click rate above 1', { clickRate: 1.5 }, /clickRate must be a number in 0 \.\. 1, got 1.5/],
    ['sessions shorter than one row', { meanSessionLength: 0.5 }, /meanSessionLength/],
    ['no concurrent sessions', { concurrentSessions: 0 }, /concurrentSessions/],
    ['a negative seed', { seed: -1 }, /seed/],
    ['both durationDays and meanGapSeconds', { durationDays: 1, meanGapSeconds: 30 }, /either durationDays or meanGapSeconds/],
    ['a NaN exponent', { itemZipf: Number.NaN }, /itemZipf must be a number in 0 \.\. 10, got NaN/],
  ])('rejects %s', async (_, options, message) => {
    expect(() => resolveSynthOptions(options)).toThrow(message);
    await expect(synthesizeLog(options, () => undefined)).rejects.toThrow(RangeError);
  });
});
