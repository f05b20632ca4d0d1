import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PrestartedEncoders } from '../src/encode/encoder-pool';

const dist = path.join(__dirname, '..', 'dist');

describe('prestarted encoder threads', () => {
  it('hands out live threads once each, and release ends the rest', async () => {
    const prestarted = new PrestartedEncoders(2);
    const first = prestarted.take();
    expect(first).toBeDefined();
    expect(first!.threadId).toBeGreaterThanOrEqual(0);
    await prestarted.release();
    expect(prestarted.take()).toBeUndefined(); // the second was ended, not handed out
    await first!.terminate();
  });

  it('leave no thread behind: generateSamples exits by itself, with and without a failure, whatever the threads', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recd-prestart-'));
    try {
      const header = 'session_id,user_id,item_id,category_id,timestamp,event';
      const good = path.join(dir, 'good.csv');
      fs.writeFileSync(good, `${header}\n${Array.from({ length: 500 }, (_, i) => `${i % 40},${i % 7},${i},${i % 5},${1000 + i},view`).join('\n')}\n`);
      const bad = path.join(dir, 'bad.csv');
      fs.writeFileSync(bad, `${header}\n1,2,3,4,5,view\n1,2,x,4,5,view\n`);
      const script = `
        const { generateSamples, getPreset } = require(${JSON.stringify(dist)});
        generateSamples({ inputs: [process.argv[1]], schema: getPreset('synthetic'), output: process.argv[2], encoderThreads: Number(process.argv[3]), overwrite: true })
          .then((result) => process.stdout.write('ok ' + result.manifest.rows), (error) => process.stdout.write(error.constructor.name));`;
      const run = (input: string, threads: number): string => {
        const child = spawnSync(process.execPath, ['-e', script, input, path.join(dir, `out-${threads}`), String(threads)], { encoding: 'utf8', timeout: 60_000 });
        expect(child.status).toBe(0);
        return child.stdout;
      };
      expect(run(good, 2)).toBe('ok 500');
      expect(run(good, 1)).toBe('ok 500');
      expect(run(bad, 2)).toBe('InputError');
      // the same bytes with the prestarted threads as without threads
      const file = (threads: number): Buffer => fs.readFileSync(path.join(dir, `out-${threads}`, 'part-00000.parquet'));
      run(good, 0);
      expect(file(2).equals(file(0))).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
