import { main, bufferIo, EXIT_OK } from '@recd/cli';

/** `recd demo` (what `npm start` runs) on a small log: the three gains beside RecD's, AUC and NE both ways. */
describe('recd demo', () => {
  const small = ['--events', '6000', '--concurrent-sessions', '200', '--train-samples', '1024', '--batch-size', '256', '--seed', '5'];

  it('prints the gains table beside the paper, model quality with and without dedup, and notes', async () => {
    const io = bufferIo();
    expect(await main(['demo', ...small], io)).toBe(EXIT_OK);
    const out = io.out.join('');
    for (const row of ['storage (Parquet, zstd)', 'preprocessing (loader, median of 3 passes)', 'session feature bytes per epoch', 'training (DLRM, end to end)']) expect(out).toContain(row);
    for (const paper of ['3.71x', '1.79x', '2.48x']) expect(out).toMatch(new RegExp(`\\d+\\.\\d\\dx +${paper.replace('.', '\\.')}\\n`));
    expect(out).toMatch(/\nAUC +0\.\d{4} +0\.\d{4}\n/);
    expect(out).toMatch(/\nnormalized entropy +\d\.\d{4} +\d\.\d{4}\n/);
    expect(out).toMatch(/samples per unique row of the session features/);
    expect(out).toMatch(/largest relative difference between the two runs' step losses: \d\.\d\de-?\d+/);
    // progress goes to stderr, one line per stage
    const err = io.err.join('');
    for (const stage of ['synth:', 'samples: time order', 'samples: session order', 'loader:', 'train: 1024 samples, dedup off', 'train: 1024 samples, dedup on']) expect(err).toContain(`[demo] ${stage}`);
  }, 120_000);

  it('--json reports the measured gains and equal model quality', async () => {
    const io = bufferIo();
    expect(await main(['demo', ...small, '--json'], io)).toBe(EXIT_OK);
    const lines = io.out.join('').trim().split('\n');
    const report = JSON.parse(lines[lines.length - 1]);
    expect(report).toMatchObject({ command: 'demo', events: 6000, samples: 6000 });
    expect(report.storage.ratio).toBeCloseTo(report.storage.timeBytes / report.storage.sessionBytes, 10);
    expect(report.storage.ratio).toBeGreaterThan(1); // session order compresses better
    expect(report.preprocessing.passes).toBe(3);
    expect(report.preprocessing.samplesPerUniqueRow).toBeGreaterThan(2);
    expect(report.preprocessing.batchBytesIkjt).toBeLessThan(report.preprocessing.batchBytesKjt);
    expect(report.training.ratio).toBeGreaterThan(0);
    expect(report.training.steps).toBe(4);
    expect(report.training.maxLossDifference).toBeLessThan(1e-5);
    expect(report.training.dedupOn.auc).toBeCloseTo(report.training.dedupOff.auc, 4);
    expect(report.training.dedupOn.ne).toBeCloseTo(report.training.dedupOff.ne, 4);
  }, 120_000);
});
