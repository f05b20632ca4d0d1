/**
 * Sample generation throughput: events/s from a CSV log to a session-clustered ZSTD Parquet
 * dataset, recd (`generateSamples`) side by side with DuckDB doing the same job in SQL (the same
 * features: 20-item in-session prefix, 50-item history of the user's earlier sessions, session
 * context; the same order and codec). Also peak RSS of recd under a memory budget.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { generateSamples, getPreset, writeSyntheticLog } from '@recd/datagen';
import type { BenchContext, BenchResult } from './harness';
import { stats } from './harness';
import { IDLE_RULE, untilIdle } from './process-idle';

export interface DatagenBenchOptions {
  events?: number;
  concurrentSessions?: number;
}

/** The sample job in DuckDB SQL, for the `synthetic` preset's columns. */
function duckdbJob(log: string, output: string): string {
  const csv = log.replace(/'/g, "''");
  const out = output.replace(/'/g, "''");
  return `
COPY (
  WITH ev AS (
    SELECT session_id, user_id, item_id, category_id, "timestamp" AS ts, event,
           row_number() OVER (PARTITION BY session_id, user_id ORDER BY "timestamp") - 1 AS position
    FROM read_csv('${csv}', header = true, columns = {'session_id': 'BIGINT', 'user_id': 'BIGINT', 'item_id': 'BIGINT', 'category_id': 'BIGINT', 'timestamp': 'BIGINT', 'event': 'VARCHAR'})
  ),
  sessions AS (
    SELECT session_id, user_id, min(ts) AS start, list(item_id ORDER BY ts) AS items
    FROM ev GROUP BY session_id, user_id
  ),
  history AS (
    SELECT session_id, user_id, start,
           coalesce(list_slice(flatten(list(items) OVER (PARTITION BY user_id ORDER BY start, session_id ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)), -50, -1), []) AS user_history
    FROM sessions
  ),
  samples AS (
    SELECT CASE WHEN event IN ('click', 'buy') THEN 1.0 ELSE 0.0 END::FLOAT AS label,
           ev.session_id, ev.ts AS "timestamp", ev.item_id, ev.category_id AS item_category,
           position::FLOAT AS position, ((ev.ts - history.start) / 1000.0)::FLOAT AS time_since_start,
           coalesce(list(ev.item_id) OVER (PARTITION BY ev.session_id, ev.user_id ORDER BY ev.ts ROWS BETWEEN 20 PRECEDING AND 1 PRECEDING), []) AS session_prefix,
           ev.user_id, history.user_history,
           hour(make_timestamp(history.start * 1000))::BIGINT AS session_hour,
           dayofweek(make_timestamp(history.start * 1000))::BIGINT AS session_weekday,
           history.start
    FROM ev JOIN history USING (session_id, user_id)
  )
  SELECT * EXCLUDE (start) FROM samples ORDER BY start, session_id, "timestamp"
) TO '${out}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 65536);`;
}

/** Which ZSTD the native encoder uses here: the zstd-napi addon when it loads. */
function zstdImplementation(): string {
  try {
    require('zstd-napi');
    return 'the zstd-napi addon';
  } catch {
    return 'zstd-wasm (the zstd-napi addon did not load)';
  }
}

export async function benchDatagen(context: BenchContext, options: DatagenBenchOptions = {}): Promise<BenchResult> {
  const events = options.events ?? Number(process.env.RECD_BENCH_EVENTS ?? 2_000_000);
  const concurrentSessions = options.concurrentSessions ?? 10_000;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'recd-bench-datagen-'));
  try {
    const log = path.join(tmp, 'log.csv');
    context.log(`datagen: synth ${events} events`);
    await writeSyntheticLog(log, { events, concurrentSessions, seed: 1 });
    const db = await DuckDBInstance.create(':memory:', { threads: String(os.cpus().length) });
    const connection = await db.connect();
    const recdSeconds: number[] = [];
    const wasmSeconds: number[] = [];
    const duckSeconds: number[] = [];
    const wasmCpu: number[] = [];
    // CPU seconds of the whole process (all threads: recd's encoder threads, DuckDB's threads)
    const recdCpu: number[] = [];
    const duckCpu: number[] = [];
    const cpuSince = (start: NodeJS.CpuUsage): number => {
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1e6;
    };
    let recdBytes = 0;
    let wasmBytes = 0;
    let duckBytes = 0;
    let rssPeak = 0;
    let encoderThreads = 0;
    let generateThreads = 0;
    const phases: { read: number; generate: number; write: number }[] = [];
    /** Before each timed run: how long the process took to go idle (the last run's threads finishing their work). */
    const settleSeconds: number[] = [];
    for (let r = 0; r < context.repetitions; r++) {
      context.log(`datagen: repetition ${r + 1}/${context.repetitions}: recd`);
      settleSeconds.push(await untilIdle());
      const output = path.join(tmp, `recd-${r}`);
      let started = performance.now();
      let cpuStart = process.cpuUsage();
      const result = await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output, order: 'session', codec: 'zstd' });
      recdSeconds.push((performance.now() - started) / 1000);
      recdCpu.push(cpuSince(cpuStart));
      recdBytes = result.manifest.shards.reduce((sum, shard) => sum + shard.bytes, 0);
      encoderThreads = result.encoderThreads;
      generateThreads = result.generateThreads;
      phases.push(result.seconds);
      rssPeak = Math.max(rssPeak, process.resourceUsage().maxRSS * 1024);
      fs.rmSync(output, { recursive: true, force: true });
      context.log(`datagen: repetition ${r + 1}/${context.repetitions}: recd with parquet-wasm pages`);
      settleSeconds.push(await untilIdle());
      started = performance.now();
      cpuStart = process.cpuUsage();
      const wasmResult = await generateSamples({ inputs: [log], schema: getPreset('synthetic'), output, order: 'session', codec: 'zstd', pageEncoder: 'parquet-wasm' });
      wasmSeconds.push((performance.now() - started) / 1000);
      wasmCpu.push(cpuSince(cpuStart));
      wasmBytes = wasmResult.manifest.shards.reduce((sum, shard) => sum + shard.bytes, 0);
      fs.rmSync(output, { recursive: true, force: true });
      context.log(`datagen: repetition ${r + 1}/${context.repetitions}: duckdb`);
      settleSeconds.push(await untilIdle());
      const duckOut = path.join(tmp, `duck-${r}.parquet`);
      started = performance.now();
      cpuStart = process.cpuUsage();
      await connection.run(duckdbJob(log, duckOut));
      duckSeconds.push((performance.now() - started) / 1000);
      duckCpu.push(cpuSince(cpuStart));
      duckBytes = fs.statSync(duckOut).size;
      fs.rmSync(duckOut, { force: true });
    }
    connection.closeSync();
    const recd = stats(recdSeconds);
    const wasm = stats(wasmSeconds);
    const duck = stats(duckSeconds);
    const recdRate = events / recd.median;
    const phaseMedian = (phase: 'read' | 'generate' | 'write'): string => stats(phases.map((seconds) => seconds[phase])).median.toFixed(2);
    const duckRate = events / duck.median;
    return {
      title: 'datagen: events/s from a CSV log to session-ordered ZSTD Parquet samples, recd vs DuckDB',
      description:
        `A synthetic log of ${events} events (${concurrentSessions} concurrent sessions) to samples with a 20-item in-session prefix, a 50-item ` +
        `history of the user's earlier sessions and session context, in session order, ZSTD Parquet; recd's \`generateSamples\` with its ` +
        `own page encoder (the default; ZSTD by ${zstdImplementation()}) and with parquet-wasm's (\`pageEncoder: 'parquet-wasm'\`, the twin) (default ` +
        `1024 MiB budget, ${generateThreads} sample generation threads, ${encoderThreads} Parquet encoder threads) and DuckDB ` +
        `(${os.cpus().length} threads) running the same job in SQL, alternating, median of ${context.repetitions}.`,
      tables: [
        {
          columns: ['tool', 'seconds (median)', 'min–max', 'events/s', 'CPU seconds (median)', 'bytes'],
          rows: [
            ['recd', recd.median.toFixed(2), `${recd.min.toFixed(2)}–${recd.max.toFixed(2)}`, Math.round(recdRate).toLocaleString('en-US'), stats(recdCpu).median.toFixed(2), String(recdBytes)],
            [
              'recd, parquet-wasm pages (the twin)',
              wasm.median.toFixed(2),
              `${wasm.min.toFixed(2)}–${wasm.max.toFixed(2)}`,
              Math.round(events / wasm.median).toLocaleString('en-US'),
              stats(wasmCpu).median.toFixed(2),
              String(wasmBytes),
            ],
            ['DuckDB', duck.median.toFixed(2), `${duck.min.toFixed(2)}–${duck.max.toFixed(2)}`, Math.round(duckRate).toLocaleString('en-US'), stats(duckCpu).median.toFixed(2), String(duckBytes)],
          ],
        },
      ],
      targets: [{ target: "recd's events/s >= DuckDB's on the same job in the same run", measured: `${(recdRate / duckRate).toFixed(2)}x DuckDB`, met: recdRate >= duckRate }],
      notes: [
        `recd phases (median seconds): read ${phaseMedian('read')}, generate ${phaseMedian('generate')}, merge and write ${phaseMedian('write')}.`,
        `CPU seconds count every thread of the process, so they compare the work done whatever the machine's load; wall time on this shared machine does not.`,
        `Each timed run starts once the process is idle (${IDLE_RULE}), so work a tool's threads go on doing after it returns (DuckDB's threads keep about a quarter of a core busy for a second or so after a query) is not charged to the next tool; waits before runs: median ${stats(settleSeconds).median.toFixed(2)} s, longest ${Math.max(...settleSeconds).toFixed(2)} s.`,
        `recd peak RSS of the benchmark process: ${(rssPeak / 2 ** 20).toFixed(0)} MiB (default memory budget 1024 MiB).`,
        `Load average at the end: ${os.loadavg().map((load) => load.toFixed(1)).join(', ')} on ${os.cpus().length} CPUs.`,
      ],
      data: { settleSeconds, events, concurrentSessions, recdSeconds, wasmSeconds, duckSeconds, recdCpu, wasmCpu, duckCpu, recdBytes, wasmBytes, duckBytes, rssPeak, encoderThreads, generateThreads, phases },
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
