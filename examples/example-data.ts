/** The small synthetic sample dataset the examples run on when you give them no folder of your own. */
import * as path from 'node:path';
import { generateSamples, getPreset, writeSyntheticLog } from '@recd/datagen';

/** A log of 24k events, then samples in session order with small row groups (so a holdout split exists). */
export async function makeExampleDataset(workDir: string): Promise<string> {
  const log = path.join(workDir, 'log.csv');
  await writeSyntheticLog(log, { events: 24_000, concurrentSessions: 300, seed: 11 });
  const output = path.join(workDir, 'samples');
  await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output, rowGroupSize: 2048, overwrite: true });
  return output;
}
