import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Table, tableFromArrays } from 'apache-arrow';
import { openDatasetManifest, readShardChunks, shardPaths } from '../src/dataset';
import type { SampleChunk } from '../src/dataset';

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `recd-test-${prefix}-`));
}

export function writeFile(dir: string, name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

export type Row = Record<string, number | string | string[]>;

/** Every sample of a dataset as plain rows (ids as strings), shard by shard in stored order. */
export async function readRows(dir: string): Promise<Row[]> {
  const manifest = await openDatasetManifest(dir);
  const rows: Row[] = [];
  for (const file of shardPaths(dir, manifest)) {
    for await (const chunk of readShardChunks(file)) rows.push(...chunkRows(chunk));
  }
  return rows;
}

export function chunkRows(chunk: SampleChunk): Row[] {
  const rows: Row[] = [];
  for (let i = 0; i < chunk.length; i++) {
    const row: Row = {};
    for (const column of chunk.columns) {
      if (column.type === 'float32') row[column.name] = column.values[i];
      else if (column.type === 'int64') row[column.name] = String(column.values[i]);
      else row[column.name] = Array.from(column.values.subarray(column.offsets[i], column.offsets[i + 1]), String);
    }
    rows.push(row);
  }
  return rows;
}

/** A canonical text of a row set, independent of order (to compare orders). */
export function sortedKeys(rows: Row[]): string[] {
  return rows.map((row) => JSON.stringify(row)).sort();
}

/** A chunk of `rows` rows: a label, a session-like id, an item and a list of 0..20 ids. */
export function syntheticChunk(rows: number, seed: number): SampleChunk {
  let state = seed * 7919 + 1;
  const random = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const offsets = new Int32Array(rows + 1);
  for (let i = 0; i < rows; i++) offsets[i + 1] = offsets[i] + ((i * 7 + seed) % 21);
  return {
    length: rows,
    columns: [
      { name: 'label', type: 'float32', values: Float32Array.from({ length: rows }, () => (random() < 0.1 ? 1 : 0)) },
      { name: 'session_id', type: 'int64', values: BigInt64Array.from({ length: rows }, (_, i) => BigInt(seed * 100_000 + Math.floor(i / 9))) },
      { name: 'item_id', type: 'int64', values: BigInt64Array.from({ length: rows }, () => BigInt(Math.floor(random() * random() * 5000))) },
      { name: 'prefix', type: 'list<int64>', offsets, values: BigInt64Array.from({ length: offsets[rows] }, () => BigInt(Math.floor(random() * 300) - 20)) },
    ],
  };
}

/** The `synthetic` preset's columns for three events of two sessions, as an Arrow table (Arrow and Parquet log fixtures). */
export function threeEventTable(): Table {
  return tableFromArrays({
    session_id: new BigInt64Array([1n, 1n, 2n]),
    user_id: new BigInt64Array([7n, 7n, 8n]),
    item_id: new BigInt64Array([11n, 12n, 13n]),
    category_id: new BigInt64Array([1n, 1n, 2n]),
    timestamp: new Float64Array([1000, 2000, 3000]),
    event: ['view', 'click', 'buy'],
  });
}
