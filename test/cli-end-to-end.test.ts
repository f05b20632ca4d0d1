import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, bufferIo, EXIT_OK, EXIT_BAD_INPUT, EXIT_USAGE } from '@recd/cli';

/** Runs the CLI and returns the exit code and the last stdout line parsed as JSON (with --json). */
async function recd(args: string[]): Promise<{ code: number; json: any; err: string; out: string }> {
  const io = bufferIo();
  const code = await main(args, io);
  const out = io.out.join('');
  const lines = out.trim().split('\n');
  let json: any;
  try {
    json = JSON.parse(lines[lines.length - 1]);
  } catch {
    json = undefined;
  }
  return { code, json, err: io.err.join(''), out };
}

describe('recd end to end: synth -> samples -> inspect -> train', () => {
  let dir: string;
  beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recd-e2e-'))));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('runs the whole pipeline and both training modes give the same losses', async () => {
    const log = path.join(dir, 'log.csv');
    const synth = await recd(['synth', '-o', log, '--events', '20000', '--concurrent-sessions', '500', '--seed', '3', '--quiet', '--json']);
    expect(synth.code).toBe(EXIT_OK);
    expect(synth.json).toMatchObject({ command: 'synth', events: 20000 });

    const samplesDir = path.join(dir, 'samples');
    const samples = await recd(['samples', '-i', log, '--preset', 'synthetic', '-o', samplesDir, '--row-group-size', '2048', '--quiet', '--json']);
    expect(samples.code).toBe(EXIT_OK);
    expect(samples.json).toMatchObject({ command: 'samples', events: 20000, samples: 20000, order: 'session', codec: 'zstd' });
    const manifest = JSON.parse(fs.readFileSync(path.join(samplesDir, 'manifest.json'), 'utf8'));
    expect(manifest.rows).toBe(20000);
    expect(manifest.sessions).toBe(samples.json.sessions);
    expect(manifest.shards.reduce((sum: number, shard: { rows: number }) => sum + shard.rows, 0)).toBe(20000);

    const inspect = await recd(['inspect', samplesDir, '--batch-sizes', '256', '--json']);
    expect(inspect.code).toBe(EXIT_OK);
    expect(inspect.json.rows).toBe(20000);
    const group = inspect.json.duplication.groups[0];
    expect(group.keys).toEqual(['user_id', 'user_history', 'session_hour', 'session_weekday']);
    expect(group.batches[0].samplesPerUniqueRow).toBeGreaterThan(2);

    const train = async (dedup: boolean) =>
      recd(['train', '--data', samplesDir, dedup ? '--dedup' : '--no-dedup', '--batch-size', '512', '--limit', '6144', '--seed', '5', '--quiet', '--json']);
    const withDedup = await train(true);
    const withoutDedup = await train(false);
    expect(withDedup.code).toBe(EXIT_OK);
    expect(withoutDedup.code).toBe(EXIT_OK);
    expect(withDedup.json.losses).toHaveLength(12);
    withDedup.json.losses.forEach((loss: number, i: number) => {
      expect(Math.abs(loss - withoutDedup.json.losses[i]) / Math.abs(withoutDedup.json.losses[i])).toBeLessThan(1e-5);
    });
    expect(Math.abs(withDedup.json.eval.auc - withoutDedup.json.eval.auc)).toBeLessThan(1e-4);
    expect(withDedup.json.eval.count).toBeGreaterThan(0);

    // the optimizer options reach the optimizers: same first step (same initial weights), different later ones
    const variant = async (extra: string[]) =>
      (await recd(['train', '--data', samplesDir, '--batch-size', '512', '--limit', '2048', '--seed', '5', '--holdout', '0', '--quiet', '--json', ...extra])).json.losses as number[];
    const base = await variant([]);
    for (const extra of [['--optimizer', 'sgd'], ['--weight-decay', '0.5'], ['--dense-weight-decay', '0.5']]) {
      const losses = await variant(extra);
      expect(losses[0]).toBeCloseTo(base[0], 6);
      expect(Math.abs(losses[3] - base[3])).toBeGreaterThan(1e-6);
    }
    // decoding on a loader thread changes where the work runs, not the batches: the same losses
    expect(await variant(['--loader-workers', '1'])).toEqual(base);
    const negative = await recd(['train', '--data', samplesDir, '--weight-decay', '-1', '--quiet']);
    expect(negative.code).toBe(EXIT_USAGE);
  }, 120_000);

  it('names the file, line and field of a malformed row and exits 1', async () => {
    const log = path.join(dir, 'bad.csv');
    fs.writeFileSync(log, 'session_id,user_id,item_id,category_id,timestamp,event\n1,2,3,4,1000,view\n1,2,x3,4,2000,click\n');
    const run = await recd(['samples', '-i', log, '--preset', 'synthetic', '-o', path.join(dir, 'bad-out'), '--quiet']);
    expect(run.code).toBe(EXIT_BAD_INPUT);
    expect(run.err).toContain(`${log}:3 field "item_id"`);
    expect(fs.existsSync(path.join(dir, 'bad-out', 'manifest.json'))).toBe(false);
  });

  it('exits 1 on an unknown preset and 2 on a bad option', async () => {
    const unknown = await recd(['samples', '-i', 'x.csv', '--preset', 'nope', '-o', path.join(dir, 'o')]);
    expect(unknown.code).toBe(EXIT_BAD_INPUT);
    expect(unknown.err).toContain('unknown preset "nope"');
    const usage = await recd(['samples', '-i', 'x.csv', '--preset', 'synthetic', '-o', path.join(dir, 'o'), '--order', 'sideways']);
    expect(usage.code).toBe(EXIT_USAGE);
    expect(usage.err).toContain('expected one of session, time, random');
  });

  it('refuses to train on a folder without a manifest', async () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    const run = await recd(['train', '--data', empty, '--quiet']);
    expect(run.code).toBe(EXIT_BAD_INPUT);
    expect(run.err).toContain('incomplete dataset');
  });
});
