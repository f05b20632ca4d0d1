/**
 * ZSTD level against list encoding, for choosing the writer's defaults: the same samples in time,
 * session and user order written UNCOMPRESSED by `generateSamples` with dictionary or PLAIN list
 * values, then every page compressed at levels 1, 3 and 9 by datagen's `zstdCompressPages` (what
 * the writer does per row group). Prints bytes per sample, the time/session and time/user ratios
 * under the same settings, and the compression throughput; then the write phase of
 * `generateSamples` at parquet-wasm's own level 1 against the recompressing path at level 3.
 *
 * Run: `npx tsc -b && RECD_BENCH_EVENTS=2000000 node bench/dist/zstd-levels.js`
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateSamples, getPreset, prepareZstd, writeSyntheticLog, zstdCompressPages } from '@recd/datagen';

const LEVELS = [1, 3, 9];
const ORDERS = ['time', 'session', 'user'] as const;

async function main(): Promise<void> {
  const events = Number(process.env.RECD_BENCH_EVENTS ?? 2_000_000);
  const concurrentSessions = Number(process.env.RECD_BENCH_CONCURRENT ?? 100_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'recd-zstd-levels-'));
  await prepareZstd();
  try {
    const log = path.join(tmp, 'log.csv');
    await writeSyntheticLog(log, { events, concurrentSessions, seed: 1 });
    const common = { inputs: [log], schema: getPreset('synthetic'), overwrite: true, rowGroupSize: 65536, dataPageSizeBytes: 1 << 20, memoryMb: 2048 };
    console.log(`${events} events, ${concurrentSessions} concurrent sessions; load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    console.log('lists\torder\tsamples\tuncompressed B/sample\t' + LEVELS.map((l) => `L${l} B/sample\tL${l} MB/s`).join('\t'));
    const sizes = new Map<string, number>();
    for (const listEncoding of ['dictionary', 'plain'] as const) {
      for (const order of ORDERS) {
        const output = path.join(tmp, `${listEncoding}-${order}`);
        const result = await generateSamples({ ...common, output, order, codec: 'none', listEncoding });
        const file = fs.readFileSync(path.join(output, result.manifest.shards[0].file));
        const rows = result.manifest.rows;
        const cells = [listEncoding, order, String(rows), (file.length / rows).toFixed(1)];
        for (const level of LEVELS) {
          const started = performance.now();
          const compressed = zstdCompressPages(file, level, output);
          const seconds = (performance.now() - started) / 1000;
          sizes.set(`${listEncoding} ${order} ${level}`, compressed.length / rows);
          cells.push((compressed.length / rows).toFixed(1), (file.length / 1e6 / seconds).toFixed(0));
        }
        console.log(cells.join('\t'));
        fs.rmSync(output, { recursive: true, force: true });
      }
    }
    console.log('\nratios under the same settings (time / session, time / user):');
    for (const listEncoding of ['dictionary', 'plain']) {
      for (const level of LEVELS) {
        const time = sizes.get(`${listEncoding} time ${level}`)!;
        const ratio = (order: string) => (time / sizes.get(`${listEncoding} ${order} ${level}`)!).toFixed(2);
        console.log(`${listEncoding} lists, level ${level}: ${ratio('session')}x, ${ratio('user')}x`);
      }
    }
    console.log('\nwrite phase of generateSamples (session order, dictionary lists), seconds:');
    for (const zstdLevel of [1, 3, 1, 3]) {
      const output = path.join(tmp, `write-${zstdLevel}`);
      const result = await generateSamples({ ...common, output, order: 'session', codec: 'zstd', zstdLevel });
      console.log(`level ${zstdLevel}: write ${result.seconds.write.toFixed(2)} s, total ${result.seconds.total.toFixed(2)} s, ${(result.events / result.seconds.total / 1000).toFixed(0)}k events/s, ${result.encoderThreads} encoder threads`);
      fs.rmSync(output, { recursive: true, force: true });
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
