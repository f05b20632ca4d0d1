import { Command } from 'commander';
import { intList, positiveInt } from '../options';
import { dedup, makeSessionBatch, validateIkjt } from '@recd/core';
import type { Io } from '../io';
import { formatBytes, formatRatio, formatTable } from '../table';

export interface DedupDemoOptions {
  batchSize: number;
  samplesPerSession: number[];
  historyLength: number;
  seed: number;
  json: boolean;
}

export interface DedupDemoRow {
  samplesPerSession: number;
  rowsBefore: number;
  uniqueRows: number;
  bytesBefore: number;
  bytesAfter: number;
  bytesRatio: number;
  dedupMs: number;
  expandExact: boolean;
}

/**
 * Dedup of one synthetic batch with session-constant features
 * (user id, attributes, two long histories) is deduplicated into an IKJT at several session
 * lengths; rows and bytes before and after are printed, and expand(dedup(x)) is checked to equal x.
 */
export function runDedupDemo(options: DedupDemoOptions, io: Io): DedupDemoRow[] {
  const rows: DedupDemoRow[] = [];
  for (const samplesPerSession of options.samplesPerSession) {
    const batch = makeSessionBatch({
      batchSize: options.batchSize,
      samplesPerSession,
      sequenceLength: options.historyLength,
      seed: options.seed,
    });
    const started = performance.now();
    const ikjt = dedup(batch.kjt, [batch.sessionKeys]);
    const dedupMs = performance.now() - started;
    validateIkjt(ikjt);
    const stats = ikjt.stats();
    rows.push({
      samplesPerSession,
      rowsBefore: batch.kjt.stride,
      uniqueRows: stats.groups[0].uniqueRows,
      bytesBefore: stats.bytesBefore,
      bytesAfter: stats.bytesAfter,
      bytesRatio: stats.bytesBefore / stats.bytesAfter,
      dedupMs,
      expandExact: ikjt.expand().equals(batch.kjt),
    });
  }
  if (!options.json) {
    const first = makeSessionBatch({ batchSize: 1, sequenceLength: options.historyLength });
    io.stdout(
      `recd dedup: one batch of ${options.batchSize} samples; session-constant group ` +
        `[${first.sessionKeys.join(', ')}] (histories of ${options.historyLength} int64 ids), ` +
        `per-sample [${first.sampleKeys.join(', ')}]\n\n`,
    );
    io.stdout(
      formatTable(
        ['samples/session', 'rows', 'unique rows', 'bytes (KJT)', 'bytes (IKJT)', 'smaller by', 'dedup ms', 'expand exact'],
        rows.map((row) => [
          String(row.samplesPerSession),
          String(row.rowsBefore),
          String(row.uniqueRows),
          formatBytes(row.bytesBefore),
          formatBytes(row.bytesAfter),
          formatRatio(row.bytesRatio),
          row.dedupMs.toFixed(2),
          row.expandExact ? 'yes' : 'NO',
        ]),
      ) + '\n',
    );
  } else {
    io.stdout(JSON.stringify({ command: 'dedup', batchSize: options.batchSize, results: rows }) + '\n');
  }
  return rows;
}

export function dedupCommand(io: Io, done: (code: number) => void): Command {
  return new Command('dedup')
    .description('deduplicate a synthetic batch with session-constant features and show rows and bytes before and after')
    .option('--batch-size <n>', 'samples per batch', positiveInt, 4096)
    .option('--samples-per-session <list>', 'comma-separated session lengths to show', intList, [1, 2, 4, 8, 16])
    .option('--history-length <n>', 'length of each session-constant history', positiveInt, 50)
    .option('--seed <n>', 'random seed', positiveInt, 1)
    .option('--json', 'print one JSON object as the last line of stdout', false)
    .action((options: DedupDemoOptions) => {
      const rows = runDedupDemo(options, io);
      done(rows.every((row) => row.expandExact) ? 0 : 1);
    });
}
