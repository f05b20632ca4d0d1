/**
 * The benchmark runner:
 *   node bench/dist/run.js [name ...] [--repetitions N] [--no-save]
 *   node bench/dist/run.js --report-only
 *   npm run bench -- dedup
 * Runs the named benchmarks (all when none), prints each table on stdout and progress on stderr,
 * writes bench/results/<name>.json and regenerates bench/RESULTS.md and bench/charts/*.svg from
 * every JSON file present. `--report-only` runs nothing and only regenerates them (for results
 * merged from several branches).
 */
import * as path from 'node:path';
import { benchmarks } from './registry';
import type { BenchResult } from './harness';
import { machineInfo, saveResult, markdownTable, SavedResult } from './report';
import { writeReport, WrittenReport } from './write-report';

const DEFAULT_REPETITIONS = 9;

/** bench/, whether this runs from bench/dist (compiled) or elsewhere. */
const benchDir = path.basename(__dirname) === 'dist' ? path.dirname(__dirname) : __dirname;
const resultsDir = path.join(benchDir, 'results');

interface Options {
  names: string[];
  repetitions: number;
  save: boolean;
  reportOnly: boolean;
  help: boolean;
}

class UsageError extends Error {}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { names: [], repetitions: DEFAULT_REPETITIONS, save: true, reportOnly: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') options.help = true;
    else if (arg === '--no-save') options.save = false;
    else if (arg === '--report-only') options.reportOnly = true;
    else if (arg === '--repetitions' || arg.startsWith('--repetitions=')) {
      const text = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      const value = Number(text);
      if (!(Number.isInteger(value) && value >= 1)) throw new UsageError(`--repetitions: expected a positive integer, got ${text ?? 'nothing'}`);
      options.repetitions = value;
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else options.names.push(arg);
  }
  const known = new Set(benchmarks.map((b) => b.name));
  for (const name of options.names) {
    if (!known.has(name)) throw new UsageError(`unknown benchmark "${name}"; known: ${[...known].join(', ')}`);
  }
  if (options.reportOnly && (options.names.length > 0 || !options.save)) {
    throw new UsageError('--report-only runs no benchmark: give it no names and no --no-save');
  }
  return options;
}

function help(): string {
  const width = Math.max(...benchmarks.map((b) => b.name.length));
  return [
    'usage: npm run bench -- [name ...] [options]',
    '       node bench/dist/run.js [name ...] [options]',
    '',
    'Runs the named benchmarks (all when none are named), saves bench/results/<name>.json and',
    'regenerates bench/RESULTS.md and the charts in bench/charts/ from every saved result.',
    '',
    'benchmarks:',
    ...benchmarks.map((b) => `  ${b.name.padEnd(width)}  ${b.summary}`),
    '',
    'options:',
    `  --repetitions N  timed repetitions per measurement (default ${DEFAULT_REPETITIONS})`,
    '  --no-save        print results only; leave results/, RESULTS.md and charts/ alone',
    '  --report-only    run nothing: regenerate RESULTS.md and charts/ from results/*.json',
    '  -h, --help       this text',
  ].join('\n');
}

/** The command as the user typed it, so RESULTS.md shows how to get the same numbers. */
function commandLine(argv: readonly string[]): string {
  const quoted = argv.map((arg) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`));
  if (process.env.npm_lifecycle_event === 'bench') return ['npm run bench', ...(quoted.length > 0 ? ['--', ...quoted] : [])].join(' ');
  const script = path.relative(process.cwd(), process.argv[1]) || process.argv[1];
  return ['node', script, ...quoted].join(' ');
}

function reportWritten(report: WrittenReport): void {
  for (const file of [report.resultsFile, ...report.chartFiles]) process.stderr.write(`wrote ${path.relative(process.cwd(), file)}\n`);
  for (const file of report.removed) process.stderr.write(`removed ${path.relative(process.cwd(), file)} (no longer drawn)\n`);
  for (const name of report.uncharted) process.stderr.write(`note: no chart for results/${name}.json (bench/report-charts.ts finds none of its fields)\n`);
}

async function main(argv: readonly string[]): Promise<number> {
  let options: Options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n\n${help()}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(help() + '\n');
    return 0;
  }
  if (options.reportOnly) {
    reportWritten(writeReport(benchDir, benchmarks.map((b) => b.name)));
    return 0;
  }
  const selected = options.names.length > 0 ? benchmarks.filter((b) => options.names.includes(b.name)) : benchmarks;
  const command = commandLine(argv);
  let failed = 0;
  for (const benchmark of selected) {
    const machine = machineInfo();
    const date = new Date().toISOString();
    process.stderr.write(`[${benchmark.name}] start (${machine.cores} cores, load ${machine.loadAverage})\n`);
    const started = Date.now();
    let result: BenchResult;
    try {
      result = await benchmark.run({
        repetitions: options.repetitions,
        log: (message) => process.stderr.write(`[${benchmark.name}] ${message}\n`),
      });
    } catch (error) {
      // a failed benchmark (a wrong result, say) saves nothing; the others still run
      failed++;
      process.stderr.write(`[${benchmark.name}] FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      continue;
    }
    process.stderr.write(`[${benchmark.name}] done in ${((Date.now() - started) / 1e3).toFixed(1)} s\n`);
    const saved: SavedResult = { name: benchmark.name, command, date, repetitions: options.repetitions, machine, result };
    process.stdout.write(`\n## ${benchmark.name}: ${result.title}\n`);
    for (const table of result.tables) {
      process.stdout.write(`\n${table.caption ? table.caption + '\n\n' : ''}${markdownTable(table.columns, table.rows).join('\n')}\n`);
    }
    for (const target of result.targets ?? []) process.stdout.write(`${target.met ? 'met   ' : 'MISSED'} ${target.target}: ${target.measured}\n`);
    if (options.save) {
      const file = saveResult(resultsDir, saved);
      process.stderr.write(`[${benchmark.name}] wrote ${path.relative(process.cwd(), file)}\n`);
    }
  }
  if (options.save) reportWritten(writeReport(benchDir, benchmarks.map((b) => b.name)));
  return failed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
