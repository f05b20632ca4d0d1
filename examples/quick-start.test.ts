import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { quickStart } from './quick-start';

it('the quick-start example runs: samples, deduplicated batches, training, evaluation', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recd-example-'));
  try {
    const result = await quickStart(dir);
    expect(result.samples).toBeGreaterThan(10_000);
    expect(result.steps).toBeGreaterThan(10);
    expect(result.samplesPerUniqueSessionRow).toBeGreaterThan(2);
    expect(result.lastLoss).toBeLessThan(result.firstLoss);
    expect(result.auc).toBeGreaterThan(0.5);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
