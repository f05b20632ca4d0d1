import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { makeExampleDataset } from './example-data';
import { formatReports, trainWithOwnLoop } from './training-loop';

it('the training-loop example trains with dedup off and on: same losses, step and wait times measured', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recd-example-loop-'));
  try {
    const data = await makeExampleDataset(dir);
    const off = await trainWithOwnLoop(data, false, { limit: 8192 });
    const on = await trainWithOwnLoop(data, true, { limit: 8192 });
    for (const report of [off, on]) {
      expect(report.steps).toBe(16);
      expect(report.samples).toBe(8192);
      expect(report.losses).toHaveLength(16);
      expect(report.losses[report.losses.length - 1]).toBeLessThan(report.losses[0]);
      expect(report.medianStepMs).toBeGreaterThan(0);
      expect(report.firstBatchMs).toBeGreaterThan(0);
      expect(report.totalWaitMs).toBeGreaterThanOrEqual(0);
      expect(report.auc).toBeGreaterThan(0);
      expect(report.auc).toBeLessThan(1);
    }
    // dedup changes where the time goes, not the model: the same loss at every step
    on.losses.forEach((loss, i) => expect(loss).toBeCloseTo(off.losses[i], 5));
    expect(on.auc).toBeCloseTo(off.auc, 4);
    const table = formatReports([off, on]).split('\n');
    expect(table).toHaveLength(3);
    expect(table[1]).toMatch(/^off \(KJT\) +16 /);
    expect(table[2]).toMatch(/^on \(IKJT\) +16 /);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);
