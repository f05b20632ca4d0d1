/**
 * CSV reading: @recd/datagen's byte-level reader against fast-csv and csv-parse on one generated
 * 1M-row, 6-column interaction log (about 60 MB, written to os.tmpdir() and deleted afterwards).
 * Each parser reads the whole file from disk in every run; runs are interleaved (a, b, c, a, b,
 * c, ...) so load from elsewhere hits all alike, and the median of the runs is reported.
 *
 * The reader is measured three ways, because it decodes nothing until asked:
 *   - offsets: rows and field spans only (what a caller reading a few columns pays up front);
 *   - all fields as strings: the same work as the reference parsers, which give a string[] per row;
 *   - typed columns: int64 / integer / float / string columns, as sample generation reads them.
 * The references run in their fastest form: arrays per row (no header objects), 'data' events.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { once } from 'node:events';
import { parse as fastCsvParse } from 'fast-csv';
import { parse as csvParse } from 'csv-parse';
import { Rng } from '@recd/core';
import { readCsv } from '@recd/datagen';

const ROWS = 1_000_000;
const COLUMNS = ['session_id', 'user_id', 'item_id', 'timestamp', 'price', 'query'];
const QUERIES = ['shoes', 'red shoes', '"red, ""big"" shoes"', 'sandals', '"boots, winter"', 'hat'];

/** Shaped like the bench harness's BenchResult (title, description, table, notes, data). */
export interface CsvBenchResult {
  title: string;
  description: string;
  table: { columns: string[]; rows: string[][] };
  notes: string[];
  data: {
    rows: number;
    bytes: number;
    runs: number;
    parsers: { name: string; medianSeconds: number; rowsPerSecond: number; runSeconds: number[] }[];
  };
}

interface Parser {
  name: string;
  /** Reads the file and returns the number of data rows seen. */
  read(file: string): Promise<number>;
}

const parsers: Parser[] = [
  { name: '@recd/datagen readCsv (offsets only)', read: readOffsets },
  { name: '@recd/datagen readCsv (all fields as strings)', read: readAllStrings },
  { name: '@recd/datagen readCsv (typed columns)', read: readTypedColumns },
  { name: 'fast-csv 5.0.8 (string[] per row)', read: readFastCsv },
  { name: 'csv-parse 7.0.3 (string[] per row)', read: readCsvParse },
];

/** `context.repetitions` runs per parser (default 3); `context.log` gets progress lines. */
export async function benchCsv(context: { repetitions?: number; log?(message: string): void } = {}): Promise<CsvBenchResult> {
  const runs = context.repetitions ?? 3;
  const log = context.log ?? (() => undefined);
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'recd-bench-csv-'));
  const file = path.join(dir, 'events.csv');
  try {
    log(`writing ${ROWS} rows to ${file}`);
    await writeLog(file, ROWS);
    const bytes = (await fs.promises.stat(file)).size;
    const runSeconds: number[][] = parsers.map(() => []);
    for (let run = 0; run < runs; run++) {
      for (const [i, parser] of parsers.entries()) {
        const start = process.hrtime.bigint();
        const rows = await parser.read(file);
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        if (rows !== ROWS) throw new Error(`${parser.name} read ${rows} rows, expected ${ROWS}`);
        runSeconds[i].push(seconds);
        log(`run ${run + 1}/${runs} ${parser.name}: ${seconds.toFixed(2)} s`);
      }
    }
    const results = parsers.map((parser, i) => {
      const medianSeconds = median(runSeconds[i]);
      return { name: parser.name, medianSeconds, rowsPerSecond: ROWS / medianSeconds, runSeconds: runSeconds[i] };
    });
    const fastCsv = results[3].rowsPerSecond;
    const csvParseRate = results[4].rowsPerSecond;
    return {
      title: 'CSV reading: rows/s, byte-level reader vs fast-csv and csv-parse',
      description:
        `One generated file of ${ROWS.toLocaleString('en')} rows x ${COLUMNS.length} columns (${(bytes / 1e6).toFixed(1)} MB; ` +
        'ids up to 16 digits, timestamps, prices, a text column with quoted fields holding commas and doubled quotes), ' +
        `read whole from disk by each parser; median of ${runs} interleaved runs.`,
      table: {
        columns: ['parser', 'median s', 'rows/s', 'MB/s', 'x fast-csv', 'x csv-parse'],
        rows: results.map((r) => [
          r.name,
          r.medianSeconds.toFixed(3),
          Math.round(r.rowsPerSecond).toLocaleString('en'),
          (bytes / 1e6 / r.medianSeconds).toFixed(1),
          (r.rowsPerSecond / fastCsv).toFixed(1),
          (r.rowsPerSecond / csvParseRate).toFixed(1),
        ]),
      },
      notes: [
        '"offsets only" decodes no field; "all fields as strings" does the same work as the references; ' +
          '"typed columns" reads user_id as int64 (no BigInt per value), three integer columns, a float and a string column.',
      ],
      data: { rows: ROWS, bytes, runs, parsers: results },
    };
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}

async function writeLog(file: string, rows: number): Promise<void> {
  const rng = new Rng(2211_05239);
  const out = fs.createWriteStream(file);
  let block = `${COLUMNS.join(',')}\n`;
  for (let i = 0; i < rows; i++) {
    const user = 1_000_000_000_000_000 + (rng.nextUint32() % 1_000_000);
    const item = rng.nextUint32() % 500_000;
    const price = (rng.nextUint32() % 100_000) / 100;
    const query = QUERIES[rng.nextUint32() % QUERIES.length];
    block += `${i >> 3},${user},${item},${1_700_000_000_000 + i * 37},${price},${query}\n`;
    if (block.length > 1 << 20) {
      if (!out.write(block)) await once(out, 'drain');
      block = '';
    }
  }
  out.end(block);
  await once(out, 'finish');
}

async function readOffsets(file: string): Promise<number> {
  let rows = 0;
  for await (const chunk of readCsv(file)) rows += chunk.rowCount;
  return rows;
}

async function readAllStrings(file: string): Promise<number> {
  let rows = 0;
  let characters = 0;
  for await (const chunk of readCsv(file)) {
    for (let row = 0; row < chunk.rowCount; row++) {
      for (let field = 0; field < chunk.fieldCount; field++) characters += chunk.string(row, field).length;
    }
    rows += chunk.rowCount;
  }
  if (characters === 0) throw new Error('no text read');
  return rows;
}

async function readTypedColumns(file: string): Promise<number> {
  let rows = 0;
  let checksum = 0;
  for await (const chunk of readCsv(file)) {
    const sessions = chunk.intColumn(0);
    const users = chunk.int64Column(1);
    const items = chunk.intColumn(2, new Int32Array(chunk.rowCount));
    const timestamps = chunk.intColumn(3);
    const prices = chunk.floatColumn(4);
    const queries = chunk.stringColumn(5);
    checksum += sessions[0] + Number(users[0] & 1n) + items[0] + timestamps[0] + prices[0] + queries[0].length;
    rows += chunk.rowCount;
  }
  if (!Number.isFinite(checksum)) throw new Error('bad checksum');
  return rows;
}

function readFastCsv(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    fs.createReadStream(file)
      .on('error', reject)
      .pipe(fastCsvParse({ headers: false }))
      .on('data', () => rows++)
      .on('error', reject)
      .on('end', () => resolve(rows - 1));
  });
}

function readCsvParse(file: string): Promise<number> {
  return new Promise((resolve, reject) => {
    let rows = 0;
    fs.createReadStream(file)
      .on('error', reject)
      .pipe(csvParse())
      .on('data', () => rows++)
      .on('error', reject)
      .on('end', () => resolve(rows - 1));
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
