import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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
