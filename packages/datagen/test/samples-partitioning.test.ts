import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateSamples, getPreset, writeSyntheticLog } from '@recd/datagen';
import { encoderThreadsFor } from '../src/samples/encoding-budget';
import { tempDir } from './samples-helpers';

describe('generateSamples output bytes', () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir('partitioning');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('do not depend on the partitioning, spilling or encoder threads when the samples span many row groups', async () => {
    const log = path.join(dir, 'log.csv');
    await writeSyntheticLog(log, { events: 4000, concurrentSessions: 150, seed: 4 });
    const runs = [
      { partitions: 1, encoderThreads: 0 },
      { partitions: 8, encoderThreads: 0 },
      { partitions: 5, encoderThreads: 2, memoryMb: 0.0001 },
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
