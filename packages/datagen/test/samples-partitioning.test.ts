import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateSamples, getPreset, writeSyntheticLog } from '@recd/datagen';
import { EventTableBuilder } from '../src/log/events';
import type { GenerateContext } from '../src/samples/generate-partition';
import { GeneratePool } from '../src/samples/generate-pool';
import { encoderThreadsFor } from '../src/samples/encoding-budget';
import { tempDir } from './samples-helpers';

describe('generateSamples output bytes', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('partitioning');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('do not depend on the partitioning, spilling, encoder or generation threads when the samples span many row groups', async () => {
    const log = path.join(dir, 'log.csv');
    await writeSyntheticLog(log, { events: 4000, concurrentSessions: 150, seed: 4 });
    const runs = [
      { partitions: 1, encoderThreads: 0, generateThreads: 0 },
      { partitions: 8, encoderThreads: 0, generateThreads: 0 },
      { partitions: 5, encoderThreads: 2, generateThreads: 0, memoryMb: 0.0001 },
      { partitions: 8, encoderThreads: 1, generateThreads: 2 },
      { partitions: 6, encoderThreads: 2, generateThreads: 3, memoryMb: 0.0001 },
    ];
    const files: Buffer[] = [];
    for (const [i, run] of runs.entries()) {
      const output = path.join(dir, `out-${i}`);
      const result = await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output, rowGroupSize: 300, dataPageSizeBytes: 2048, ...run });
      expect(result.manifest.shards[0].rowGroups).toBeGreaterThan(10);
      files.push(fs.readFileSync(path.join(output, 'part-00000.parquet')));
    }
    for (const file of files.slice(1)) expect(file.equals(files[0])).toBe(true);
  }, 60_000);
});

describe('sample generation in worker threads', () => {
  it('gives the runs of the in-thread generator, sessions from a session column or from inactivity gaps', async () => {
    const dir = tempDir('generate-threads');
    try {
      const lines = ['userId,movieId,rating,timestamp'];
      for (let i = 0; i < 3000; i++) lines.push(`${i % 37},${(i * 7919) % 400},${1 + (i % 5)},${1_600_000_000 + Math.floor(i / 37) * (i % 3 === 0 ? 4000 : 60)}`);
      const log = path.join(dir, 'ratings.csv');
      fs.writeFileSync(log, lines.join('\n') + '\n');
      const files = [];
      for (const generateThreads of [0, 2]) {
        const output = path.join(dir, `out-${generateThreads}`);
        await generateSamples({ inputs: [log], schema: getPreset('movielens'), output, partitions: 4, generateThreads, rowGroupSize: 500 });
        files.push(fs.readFileSync(path.join(output, 'part-00000.parquet')));
      }
      expect(files[1].equals(files[0])).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('partitions by default for one partition per generating thread (workers and this one) out at once, unless the log is large for the budget', async () => {
    const dir = tempDir('generate-partitions');
    try {
      const log = path.join(dir, 'log.csv');
      await writeSyntheticLog(log, { events: 3000, concurrentSessions: 100, seed: 2 });
      const partitionsWith = async (generateThreads: number, memoryMb: number): Promise<[number, number]> => {
        const result = await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output: path.join(dir, `out-${generateThreads}-${memoryMb}`), memoryMb, generateThreads });
        return [result.partitions, result.generateThreads];
      };
      const bytes = fs.statSync(log).size;
      const memoryMb = (4 * 64 * bytes) / 4 / 2 ** 20; // one partition takes a quarter of the budget at 4 partitions
      expect(await partitionsWith(0, memoryMb)).toEqual([4, 0]);
      expect(await partitionsWith(1, memoryMb)).toEqual([8, 1]); // one worker and this thread
      expect(await partitionsWith(3, memoryMb)).toEqual([16, 3]);
      expect(await partitionsWith(1, memoryMb / 16)).toEqual([64, 1]); // 64 for one generator already: not doubled
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('reports a failure in a worker as an error, and closes', async () => {
    const pool = new GeneratePool(1);
    const events = new EventTableBuilder(0, 0, 4).view();
    const context = { layout: undefined, label: { kind: 'event' }, order: 'session', seed: 1, negativePool: new Int32Array(0) } as unknown as GenerateContext;
    await expect(pool.generate(events, { hasSessionColumn: true, gapMs: 0 }, context)).rejects.toThrow(/generating samples failed: /);
    await pool.close();
    await expect(pool.generate(events, { hasSessionColumn: true, gapMs: 0 }, context)).rejects.toThrow(/closed/);
  });
});

describe('encoderThreadsFor', () => {
  const MB = 2 ** 20;
  it('gives threads only what is left after the row groups being assembled, three row groups each', () => {
    // 256 MB left, 37 MB row groups, one shard: (256 - 74) / 111 -> 1
    expect(encoderThreadsFor(256 * MB, 37 * MB, 1, 4)).toBe(1);
    expect(encoderThreadsFor(3000 * MB, 37 * MB, 1, 2)).toBe(2);
    expect(encoderThreadsFor(64 * MB, 37 * MB, 1, 4)).toBe(0);
    expect(encoderThreadsFor(-5 * MB, 37 * MB, 1, 4)).toBe(0);
    expect(encoderThreadsFor(1000 * MB, 37 * MB, 16, 4)).toBe(0);
  });
});
