import * as fs from 'node:fs';
import { Command } from 'commander';
import { SchemaError } from '@recd/core';
import { generateSamples, getPreset, presetNames, LogSchema, GenerateSamplesResult } from '@recd/datagen';
import type { Io } from '../io';
import { createProgress } from '../progress';
import { collect, nonNegativeInt, oneOf, positiveInt, positiveNumber, shardSpec } from '../options';
import { formatBytes } from '../table';

interface SamplesOptions {
  input: string[];
  preset?: string;
  schema?: string;
  output: string;
  order: 'session' | 'time' | 'random' | 'user';
  codec: 'zstd' | 'snappy' | 'gzip' | 'none';
  zstdLevel?: number;
  listEncoding?: 'dictionary' | 'plain';
  pageEncoder?: 'native' | 'parquet-wasm';
  shards: number;
  shard?: { index: number; count: number };
  memoryMb: number;
  encoderThreads?: number;
  generateThreads?: number;
  readThreads?: number;
  rowGroupSize: number;
  seed: number;
  onError: 'stop' | 'skip';
  prefixLength: number;
  historyLength: number;
  tableSize: number;
  overwrite: boolean;
  json: boolean;
  quiet: boolean;
}

/** Loads the log schema from `--schema file.json` or `--preset name` (exactly one). */
export function loadLogSchema(options: { preset?: string; schema?: string }): LogSchema {
  if (options.preset && options.schema) throw new SchemaError('give --preset or --schema, not both');
  if (options.preset) return getPreset(options.preset);
  if (!options.schema) throw new SchemaError(`give --preset (${presetNames().join(', ')}) or --schema <file.json>`);
  let text: string;
  try {
    text = fs.readFileSync(options.schema, 'utf8');
  } catch (error) {
    throw new SchemaError(`cannot read schema file ${options.schema}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text) as LogSchema;
  } catch (error) {
    throw new SchemaError(`${options.schema}: not valid JSON (${(error as Error).message})`);
  }
}

export function samplesCommand(io: Io, done: (code: number) => void): Command {
  return new Command('samples')
    .description('turn interaction logs (CSV/TSV, Parquet, Arrow) into a session-clustered Parquet sample dataset')
    .requiredOption('-i, --input <file>', 'log file; repeat for several', collect)
    .requiredOption('-o, --output <dir>', 'dataset folder to write')
    .option('--preset <name>', `column mapping of a known log: ${presetNames().join(', ')}`)
    .option('--schema <file>', 'column mapping as a JSON file (see the datagen README)')
    .option('--order <order>', "session (RecD: samples of a session together, sessions by start), user (sessions of a user together, users by first start), time (as logs arrive) or random", oneOf(['session', 'time', 'random', 'user'] as const), 'session')
    .option('--codec <codec>', 'Parquet compression', oneOf(['zstd', 'snappy', 'gzip', 'none'] as const), 'zstd')
    .option('--zstd-level <n>', 'ZSTD level, 1..22 (default 3; 1 is faster and larger)', positiveInt)
    .option('--list-encoding <encoding>', 'values of list columns: plain or dictionary (default: plain with zstd above level 1, else dictionary)', oneOf(['plain', 'dictionary'] as const))
    .option('--page-encoder <encoder>', "what encodes Parquet pages: native (recd's own; default for zstd and none) or parquet-wasm (default for snappy and gzip)", oneOf(['native', 'parquet-wasm'] as const))
    .option('--shards <n>', 'shard files, split by a hash of the session', positiveInt, 1)
    .option('--shard <i/N>', 'write only shard i of N (for separate processes or machines)', shardSpec)
    .option('--memory-mb <n>', 'memory budget; beyond it events and samples spill to disk', positiveNumber, 1024)
    .option('--encoder-threads <n>', 'threads encoding Parquet row groups (0: none; default: what the memory budget and CPUs allow)', nonNegativeInt)
    .option('--generate-threads <n>', 'worker threads generating partitions\' samples beside the main one (0: none; default: the CPUs, at most 4, less one)', nonNegativeInt)
    .option('--read-threads <n>', 'worker threads extracting CSV events while the main one reads (0: none; default: 1 for logs of 8 MiB or more on a machine with a second CPU)', nonNegativeInt)
    .option('--row-group-size <n>', 'rows per Parquet row group', positiveInt, 65536)
    .option('--seed <n>', 'seed for negatives and random order', positiveInt, 1)
    .option('--on-error <policy>', 'stop at a malformed row, or skip it (counted, written to rejects.jsonl)', oneOf(['stop', 'skip'] as const), 'stop')
    .option('--prefix-length <n>', 'earlier items of the session kept per sample', positiveInt, 20)
    .option('--history-length <n>', "items of the user's earlier sessions kept", positiveInt, 50)
    .option('--table-size <n>', 'embedding-table rows ids hash into (schema)', positiveInt, 1 << 20)
    .option('--overwrite', 'replace an existing dataset in the output folder', false)
    .option('--quiet', 'no progress on stderr', false)
    .option('--json', 'print one JSON object as the last line of stdout', false)
    .action(async (options: SamplesOptions) => {
      const schema = loadLogSchema(options);
      const progress = createProgress(io, 'samples', { quiet: options.quiet });
      let result: GenerateSamplesResult;
      try {
        result = await generateSamples({
          inputs: options.input,
          schema,
          output: options.output,
          order: options.order,
          codec: options.codec,
          zstdLevel: options.zstdLevel,
          listEncoding: options.listEncoding,
          pageEncoder: options.pageEncoder,
          shards: options.shards,
          shard: options.shard,
          memoryMb: options.memoryMb,
          encoderThreads: options.encoderThreads,
          generateThreads: options.generateThreads,
          readThreads: options.readThreads,
          rowGroupSize: options.rowGroupSize,
          seed: options.seed,
          onError: options.onError,
          overwrite: options.overwrite,
          layout: { prefixLength: options.prefixLength, historyLength: options.historyLength, tableSize: options.tableSize },
          onProgress: (event) => {
            if (event.phase === 'read') progress.update(event.events, undefined, `events read${event.rejected ? `, ${event.rejected} rejected` : ''}`);
            else if (event.phase === 'generate') progress.update(event.partition, event.partitions, `partitions, ${event.samples} samples`);
            else progress.update(event.rows, event.totalRows, 'rows written');
          },
        });
      } finally {
        progress.stop();
      }
      const { manifest } = result;
      const bytes = manifest.shards.reduce((sum, shard) => sum + shard.bytes, 0);
      const summary = {
        command: 'samples',
        output: options.output,
        events: result.events,
        rejected: result.rejected,
        samples: manifest.rows,
        sessions: manifest.sessions,
        shards: manifest.shards.length,
        order: manifest.order,
        codec: manifest.codec,
        zstdLevel: manifest.zstdLevel,
        bytes,
        bytesPerSample: manifest.rows > 0 ? bytes / manifest.rows : 0,
        seconds: result.seconds,
        eventsPerSecond: result.events / result.seconds.total,
        spilledBytes: result.spilledBytes,
        encoderThreads: result.encoderThreads,
        generateThreads: result.generateThreads,
        readThreads: result.readThreads,
      };
      if (options.json) io.stdout(JSON.stringify(summary) + '\n');
      else {
        io.stdout(
          `wrote ${manifest.rows} samples from ${result.events} events (${manifest.sessions} sessions) to ${options.output}\n` +
            `  ${manifest.shards.length} shard(s), ${manifest.order} order, ${manifest.codec}${manifest.zstdLevel === undefined ? '' : ` level ${manifest.zstdLevel}`}: ${formatBytes(bytes)}, ${summary.bytesPerSample.toFixed(1)} bytes/sample\n` +
            `  ${result.seconds.total.toFixed(2)} s (${Math.round(summary.eventsPerSecond)} events/s)` +
            (result.rejected > 0 ? `; ${result.rejected} rows rejected, see ${options.output}/rejects.jsonl` : '') +
            '\n',
        );
      }
      done(0);
    });
}
