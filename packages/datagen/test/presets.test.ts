import * as fs from 'node:fs';
import * as path from 'node:path';
import { tableToIPC } from 'apache-arrow';
import { generateSamples, getPreset, presetNames, LogSchema } from '@recd/datagen';
import { readRows, sortedKeys, tempDir, threeEventTable, writeFile } from './samples-helpers';

let dir: string;
beforeAll(() => (dir = tempDir('presets')));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function run(name: string, text: string, schema: LogSchema, fileName = `${name}.csv`) {
  const log = writeFile(dir, fileName, text);
  const output = path.join(dir, `out-${name}`);
  const result = await generateSamples({ inputs: [log], schema, output, layout: { historyLength: 5, prefixLength: 3 } });
  return { result, rows: await readRows(output) };
}

describe('presets', () => {
  it('lists every preset the docs name', () => {
    expect(presetNames().sort()).toEqual(['diginetica', 'movielens', 'retailrocket', 'synthetic', 'yoochoose', 'yoochoose-prepared']);
  });

  it('diginetica: ; separated, NA users, offsets from the session date, next-item labels; both header spellings', async () => {
    const body = ['1;NA;81766;526309;2016-05-09', '1;NA;31331;1031018;2016-05-09', '1;NA;9654;75848;2016-05-09', '2;5;100;0;2016-05-10', '2;5;101;1000;2016-05-10'];
    const { rows, result } = await run('diginetica', ['sessionId;userId;itemId;timeframe;eventdate', ...body].join('\n'), getPreset('diginetica'));
    const snake = await run('diginetica-snake', ['session_id;user_id;item_id;timeframe;eventdate', ...body].join('\n'), getPreset('diginetica'));
    expect(sortedKeys(snake.rows)).toEqual(sortedKeys(rows));
    // session 1 in time order: 9654, 81766, 31331 -> positives 81766 and 31331, 4 negatives each; session 2 -> 101
    expect(result.manifest.rows).toBe(3 * 5);
    const positives = rows.filter((row) => row.label === 1);
    expect(positives.map((row) => row.item_id)).toEqual(['81766', '31331', '101']);
    expect(positives.map((row) => row.session_prefix)).toEqual([['9654'], ['9654', '81766'], ['100']]);
    expect(Number(positives[0].timestamp)).toBe(Date.parse('2016-05-09T00:00:00Z') + 526309);
    expect(positives[2].user_id).toBe('5');
    const negatives = rows.filter((row) => row.label === 0);
    expect(negatives).toHaveLength(12);
    for (const negative of negatives) expect(['81766', '31331', '9654', '100', '101']).toContain(negative.item_id);
  });

  it('yoochoose: raw clicks without a header, ISO times, text categories hashed', async () => {
    const text = ['1,2014-04-07T10:51:09.277Z,214536502,0', '1,2014-04-07T10:54:09.868Z,214536500,S', '1,2014-04-07T10:54:46.998Z,214536506,0'].join('\n');
    const { rows } = await run('yoochoose', text, getPreset('yoochoose'), 'yoochoose-clicks.dat');
    const positives = rows.filter((row) => row.label === 1);
    expect(positives.map((row) => row.item_id)).toEqual(['214536500', '214536506']);
    expect(Number(positives[0].timestamp)).toBe(Date.parse('2014-04-07T10:54:09.868Z'));
    expect(positives[0].item_category).not.toBe('0');
    expect(positives[1].item_category).toBe('0');
  });

  it('yoochoose-prepared: tab separated, epoch seconds', async () => {
    const text = ['SessionId\tItemId\tTime', '1\t214536502\t1396839069.277', '1\t214536500\t1396839249.868'].join('\n');
    const { rows } = await run('yoochoose-prepared', text, getPreset('yoochoose-prepared'), 'prepared.tsv');
    expect(rows.filter((row) => row.label === 1).map((row) => row.item_id)).toEqual(['214536500']);
    expect(Number(rows[0].timestamp)).toBe(1396839249868);
  });

  it('movielens: CRLF, sessions from a 30-minute gap per user, rating labels', async () => {
    const text = ['userId,movieId,rating,timestamp', '1,10,4.0,1000', '1,11,3.5,1600', '1,12,5.0,9000', '2,10,2.0,1000'].join('\r\n') + '\r\n';
    const { rows, result } = await run('movielens', text, getPreset('movielens'));
    expect(result.manifest.sessions).toBe(3);
    const byUserAndTime = [...rows].sort((a, b) => Number(a.user_id) - Number(b.user_id) || Number(a.timestamp) - Number(b.timestamp));
    expect(byUserAndTime.map((row) => row.label)).toEqual([1, 0, 1, 0]);
    const third = rows.find((row) => row.item_id === '12')!;
    expect(third.user_history).toEqual(['10', '11']);
    expect(third.position).toBe(0);
  });

  it('retailrocket: visitor sessions, addtocart and transaction are positive', async () => {
    const text = ['timestamp,visitorid,event,itemid,transactionid', '1433221332117,257597,view,355908,', '1433221400000,257597,addtocart,355908,', '1433221500000,257597,transaction,355908,4000'].join('\n');
    const { rows } = await run('retailrocket', text, getPreset('retailrocket'));
    expect(rows.map((row) => row.label)).toEqual([0, 1, 1]);
    expect(rows.every((row) => row.user_id === '257597')).toBe(true);
  });

  it('reads the same log from Parquet and Arrow IPC as from CSV', async () => {
    const csv = ['session_id,user_id,item_id,category_id,timestamp,event', '1,7,11,1,1000,view', '1,7,12,1,2000,click', '2,8,13,2,3000,buy'].join('\n');
    const fromCsv = await run('csv-twin', csv, getPreset('synthetic'));
    const arrowFile = path.join(dir, 'log.arrow');
    fs.writeFileSync(arrowFile, tableToIPC(threeEventTable(), 'file'));
    const fromArrow = await generateSamples({ inputs: [arrowFile], schema: getPreset('synthetic'), output: path.join(dir, 'out-arrow'), layout: { historyLength: 5, prefixLength: 3 } });
    expect(fromArrow.events).toBe(3);
    expect(sortedKeys(await readRows(path.join(dir, 'out-arrow')))).toEqual(sortedKeys(fromCsv.rows));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const parquet = require('parquet-wasm/node');
    const parquetFile = path.join(dir, 'log.parquet');
    fs.writeFileSync(parquetFile, parquet.writeParquet(parquet.Table.fromIPCStream(tableToIPC(threeEventTable(), 'stream'))));
    await generateSamples({ inputs: [parquetFile], schema: getPreset('synthetic'), output: path.join(dir, 'out-parquet'), layout: { historyLength: 5, prefixLength: 3 } });
    expect(sortedKeys(await readRows(path.join(dir, 'out-parquet')))).toEqual(sortedKeys(fromCsv.rows));
  });

  it('takes a schema of its own, with extra dense and categorical columns', async () => {
    const schema: LogSchema = {
      user: 'u',
      item: 'i',
      time: { column: 't', unit: 'epoch-s' },
      dense: ['price'],
      categorical: ['device'],
      label: { kind: 'rating', threshold: 3 },
      rating: 'r',
    };
    const { rows, result } = await run('custom', ['u,i,t,price,device,r', '1,5,10,9.5,ios,4', '1,6,20,,android,1'].join('\n'), schema);
    expect(rows.map((row) => row.dense_price)).toEqual([9.5, 0]);
    expect(rows[0].cat_device).not.toBe(rows[1].cat_device);
    expect(rows.map((row) => row.label)).toEqual([1, 0]);
    expect(result.manifest.schema.features.map((f) => f.name)).toContain('dense_price');
  });
});
