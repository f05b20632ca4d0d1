import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tableToIPC } from 'apache-arrow';
import { generateSamples, getPreset, writeSyntheticLog } from '@recd/datagen';
import { ExtractPool } from '../src/log/extract-pool';
import { CUSTOM, customLog, readOutcome } from './read-helpers';
import { tempDir, threeEventTable, writeFile } from './samples-helpers';

const HEADER = 'session_id,user_id,item_id,category_id,timestamp,event';

describe('the read phase in worker threads', () => {
  let dir: string;
  beforeAll(() => (dir = tempDir('read-threads')));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives the events and partitions of the in-thread read, over chunks of any size', async () => {
    const log = path.join(dir, 'synthetic.csv');
    await writeSyntheticLog(log, { events: 3000, concurrentSessions: 40, seed: 3 });
    const schema = getPreset('synthetic');
    const plain = await readOutcome([log], schema, { threads: 0, chunkBytes: 4096 });
    expect(plain.events.length).toBe(3000);
    // 1000-byte chunks come from Node's shared pool (copied to the worker), 5000-byte ones are handed over
    for (const chunkBytes of [1000, 5000]) {
      for (const partitions of [1, 4]) {
        const threaded = await readOutcome([log], schema, { threads: 1, chunkBytes, partitions });
        expect(threaded.events).toEqual(plain.events);
        expect(threaded.partitions).toEqual((await readOutcome([log], schema, { threads: 0, chunkBytes, partitions })).partitions);
      }
    }
    // spilled partitions come back the same
    const spilled = await readOutcome([log], schema, { threads: 2, chunkBytes: 3000, budgetBytes: 20_000 });
    expect(spilled.partitions).toEqual(plain.partitions);
  });

  it('with skip: the same events, rejects (in order), counts and ignored rows, CRLF, quotes and no trailing line break included', async () => {
    for (const lineBreak of ['\n', '\r\n']) {
      const log = writeFile(dir, `custom${lineBreak.length}.csv`, customLog(1500, true, lineBreak));
      // (a chunk's CSV rejects come before its extraction rejects, in one thread too: the order depends on the chunk size)
      for (const chunkBytes of [700, 2000, 6000]) {
        const plain = await readOutcome([log], CUSTOM, { threads: 0, onError: 'skip', chunkBytes });
        expect(plain.rejectedCount).toBeGreaterThan(40);
        expect(plain.ignored).toBe(298); // every fifth row is noise, but two of them are b"uy
        const threaded = await readOutcome([log], CUSTOM, { threads: 1, onError: 'skip', chunkBytes, partitions: 3 });
        expect(threaded).toEqual(plain);
      }
    }
  });

  it('stops at the same first malformed row, naming file, line and field, whether it fails extraction or the CSV scan', async () => {
    const text = customLog(1500, true, '\n');
    const cases = [
      // a bad id early (extraction) and a short row later (scan): the id wins
      ['first-extract.csv', text],
      // only short rows: the scanner's error
      ['first-scan.csv', text.split('\n').filter((line) => !line.includes('not-an-id') && !line.includes('bad-time')).join('\n')],
      // only bad times
      ['bad-time.csv', text.split('\n').filter((line) => !line.includes('not-an-id') && line.split(',').length === 9).join('\n')],
    ];
    for (const [name, body] of cases) {
      const log = writeFile(dir, name, body);
      // (in one thread too, a chunk's CSV scan comes before its extraction, so the chunk size may decide which error is first)
      for (const chunkBytes of [1500, 9000]) {
        const plain = await readOutcome([log], CUSTOM, { threads: 0, chunkBytes });
        expect(plain.error?.inputError).toBe(true);
        expect(plain.error?.message).toContain(`${name}:`);
        const threaded = await readOutcome([log], CUSTOM, { threads: 1, chunkBytes });
        expect(threaded.error).toEqual(plain.error);
      }
    }
    const firstExtract = await readOutcome([path.join(dir, 'first-extract.csv')], CUSTOM, { threads: 1, chunkBytes: 1500 });
    expect(firstExtract.error?.message).toMatch(/first-extract\.csv:\d+ field "i": expected a 64-bit integer, got "not-an-id"/);
    const missing = writeFile(dir, 'missing.csv', 's,u,i,t\n1,2,3,4\n');
    const missingColumn = await readOutcome([missing], CUSTOM, { threads: 1 });
    expect(missingColumn.error).toEqual((await readOutcome([missing], CUSTOM, { threads: 0 })).error);
    expect(missingColumn.error?.message).toMatch(/missing\.csv:1 field "e": missing event column/);
  });

  it('reads several files in order, Arrow IPC and Parquet among them, as the in-thread read does', async () => {
    const csv = path.join(dir, 'first.csv');
    await writeSyntheticLog(csv, { events: 800, concurrentSessions: 20, seed: 5 });
    const arrow = path.join(dir, 'log.arrow');
    fs.writeFileSync(arrow, tableToIPC(threeEventTable(), 'file'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const parquet = require('parquet-wasm/node');
    const parquetFile = path.join(dir, 'log.parquet');
    fs.writeFileSync(parquetFile, parquet.writeParquet(parquet.Table.fromIPCStream(tableToIPC(threeEventTable(), 'stream'))));
    const last = writeFile(dir, 'last.csv', `${HEADER}\r\n9,NA,1,1,5000,click\r\n9,3,"2",1,6000,view`);
    const inputs = [csv, arrow, parquetFile, last, csv];
    const plain = await readOutcome(inputs, getPreset('synthetic'), { threads: 0, chunkBytes: 3000 });
    expect(plain.events.length).toBe(800 + 3 + 3 + 2 + 800);
    expect(await readOutcome(inputs, getPreset('synthetic'), { threads: 1, chunkBytes: 3000 })).toEqual(plain);
    const absent = await readOutcome([csv, path.join(dir, 'absent.csv')], getPreset('synthetic'), { threads: 1, chunkBytes: 3000 });
    expect(absent.error?.message).toMatch(/absent\.csv: no such file/);
    expect(absent.events).toEqual(plain.events.slice(0, 800));
  });

  it('generateSamples writes the same dataset bytes and rejects with readThreads 0 and 1, spilling or not', async () => {
    const log = path.join(dir, 'big.csv');
    await writeSyntheticLog(log, { events: 60_000, concurrentSessions: 300, seed: 8 });
    expect(fs.statSync(log).size).toBeGreaterThan(2 << 20); // three CSV chunks at least
    const lines = fs.readFileSync(log, 'utf8').split('\n');
    for (const at of [100, 25_000, 50_000]) lines[at] = lines[at].replace(/^(\d+),(\d+),/, '$1,x$2,');
    const bad = writeFile(dir, 'big-bad.csv', lines.join('\n'));
    const outputs = (name: string): Buffer[] => ['part-00000.parquet', 'rejects.jsonl'].filter((file) => fs.existsSync(path.join(dir, name, file))).map((file) => fs.readFileSync(path.join(dir, name, file)));
    for (const [input, memoryMb] of [
      [bad, 1024],
      [bad, 1],
    ] as const) {
      const results = [];
      for (const readThreads of [0, 1]) {
        const output = `out-${memoryMb}-${readThreads}`;
        results.push(await generateSamples({ inputs: [input], schema: getPreset('synthetic'), output: path.join(dir, output), onError: 'skip', readThreads, memoryMb, rowGroupSize: 10_000 }));
      }
      expect(results[1].rejected).toBe(3);
      expect(results[1].events).toBe(results[0].events);
      const [plain, threaded] = [outputs(`out-${memoryMb}-0`), outputs(`out-${memoryMb}-1`)];
      expect(threaded.length).toBe(2);
      expect(threaded.map((file, i) => file.equals(plain[i]))).toEqual([true, true]);
    }
    const stop = (readThreads: number): Promise<unknown> => generateSamples({ inputs: [bad], schema: getPreset('synthetic'), output: path.join(dir, `stop-${readThreads}`), readThreads });
    await expect(stop(1)).rejects.toThrow(/big-bad\.csv:101 field "user_id": expected a 64-bit integer, got "x/);
    await expect(stop(0)).rejects.toThrow(/big-bad\.csv:101 field "user_id": expected a 64-bit integer, got "x/);
    expect(fs.existsSync(path.join(dir, 'stop-1'))).toBe(false);
  }, 60_000);

  it('leaves no worker behind: a process that reads with threads exits by itself, after a failure too', () => {
    if (!ExtractPool.available()) throw new Error('run npx tsc -b first: the worker is loaded from dist/');
    const good = writeFile(dir, 'exit-good.csv', `${HEADER}\n1,2,3,4,5,view\n`);
    const bad = writeFile(dir, 'exit-bad.csv', `${HEADER}\n1,2,3,4,5,view\n1,2,x,4,5,view\n`);
    const dist = path.join(__dirname, '..', 'dist');
    const script = `
      const { readEvents } = require(${JSON.stringify(path.join(dist, 'log', 'read-events.js'))});
      const { EventExtractor } = require(${JSON.stringify(path.join(dist, 'log', 'extract-events.js'))});
      const { getPreset } = require(${JSON.stringify(dist)});
      const schema = getPreset('synthetic');
      readEvents([process.argv[1]], schema, new EventExtractor(schema), { threads: 1 }, () => {})
        .then(() => process.stdout.write('ok'), (error) => process.stdout.write(error.constructor.name + ': ' + error.message));`;
    const run = (file: string): string => {
      const child = spawnSync(process.execPath, ['-e', script, file], { encoding: 'utf8', timeout: 30_000 });
      expect(child.status).toBe(0);
      return child.stdout;
    };
    expect(run(good)).toBe('ok');
    expect(run(bad)).toMatch(/^InputError: .*exit-bad\.csv:3 field "item_id": expected a 64-bit integer/);
  });
});
