/** Shared by the read tests: the read phase run in one or more threads, its results as plain values. */
import * as fs from 'node:fs';
import { InputError } from '@recd/core';
import type { LogSchema } from '@recd/datagen';
import type { EventTable } from '../src/log/events';
import { EventExtractor } from '../src/log/extract-events';
import { EventPartitioner } from '../src/log/partitioner';
import { ReadEventsOptions, readEvents } from '../src/log/read-events';
import { tempDir } from './samples-helpers';

/** Every event of a table as text, in stored order (ids exact, floats as stored). */
export function eventRows(table: EventTable): string[] {
  const rows: string[] = [];
  for (let i = 0; i < table.length; i++) {
    const fields = [table.order[i], table.session[i], table.userKnown[i], table.user[i], table.item[i], table.category[i], table.time[i], table.label[i]];
    for (const column of table.dense) fields.push(column[i]);
    for (const column of table.categorical) fields.push(column[i]);
    rows.push(fields.map(String).join(' '));
  }
  return rows;
}

export interface ReadOutcome {
  /** Events in the order the sink took them. */
  events: string[];
  /** Each partition's events as the partitioner gives them back. */
  partitions: string[][];
  rejected: unknown[];
  rejectedCount: number;
  ignored: number;
  /** The error the read ended with: its class, message and location. */
  error?: { inputError: boolean; message: string; location?: unknown };
}

/** Reads `inputs` as generateSamples does (into `partitions` partitions spilling past `budgetBytes`), and reports what came out. */
export async function readOutcome(inputs: string[], schema: LogSchema, options: ReadEventsOptions & { partitions?: number; budgetBytes?: number }): Promise<ReadOutcome> {
  const extractor = new EventExtractor(schema, { onError: options.onError });
  const tmpDir = tempDir('read');
  const partitions = options.partitions ?? 3;
  const partitioner = new EventPartitioner({
    partitions,
    numDense: schema.dense?.length ?? 0,
    numCategorical: schema.categorical?.length ?? 0,
    tmpDir,
    budgetBytes: options.budgetBytes ?? 1 << 30,
  });
  const events: string[] = [];
  let error: ReadOutcome['error'];
  try {
    await readEvents(inputs, schema, extractor, { ...options, partitions }, (table, _file, partitionOf) => {
      events.push(...eventRows(table));
      partitioner.add(table, partitionOf);
    });
  } catch (caught) {
    const inputError = caught instanceof InputError;
    error = { inputError, message: (caught as Error).message, location: inputError ? caught.location : undefined };
  }
  const outcome: ReadOutcome = {
    events,
    partitions: error ? [] : Array.from({ length: partitions }, (_, p) => eventRows(partitioner.take(p))),
    rejected: extractor.rejected,
    rejectedCount: extractor.rejectedCount,
    ignored: extractor.ignored,
    error,
  };
  fs.rmSync(tmpDir, { recursive: true, force: true });
  return outcome;
}

/** A custom schema touching every field kind: null users, ratings, dense and categorical columns, ignored events. */
export const CUSTOM: LogSchema = {
  session: 's',
  user: 'u',
  item: 'i',
  time: { column: 't', unit: 'epoch-s' },
  event: { column: 'e', positive: ['click', 'b"uy'], ignore: ['noise'] },
  rating: 'r',
  label: { kind: 'rating', threshold: 3 },
  category: 'c',
  dense: ['price'],
  categorical: ['device'],
};

/** Rows of the custom schema; quoted fields, doubled quotes, line breaks inside quotes, and (from `bad`) malformed rows. */
export function customLog(rows: number, bad: boolean, lineBreak: string): string {
  const lines = ['s,u,i,t,e,r,c,price,device'];
  for (let k = 0; k < rows; k++) {
    const user = k % 7 === 0 ? 'NA' : k % 11 === 0 ? '"42"' : String(k % 13);
    const event = k % 173 === 2 ? '"b""uy"' : ['view', 'click', 'buy', 'noise', '"view"'][k % 5];
    const device = k % 211 === 5 ? '"we""b"' : ['ios', '"and\nroid"', '"web"', '', '12345678901234567890', '-17'][k % 6];
    const price = ['9.5', '', 'nan', '-1e-3', '"2.25"', 'NULL'][k % 6];
    const category = k % 9 === 0 ? 'S' : String(k % 4);
    lines.push([Math.floor(k / 5), user, 1000 + ((k * 37) % 101), 1_600_000_000 + k, event, 1 + (k % 5), category, price, device].join(','));
    if (bad && k % 97 === 13) lines.push(`${k},1,not-an-id,1,1,view,3,1,ios`);
    if (bad && k % 89 === 40) lines.push(`${k},1,2,3`);
    if (bad && k % 101 === 77) lines.push(`${k},1,2,bad-time,view,3,1,1,ios`);
  }
  return lines.join(lineBreak); // no trailing line break
}
