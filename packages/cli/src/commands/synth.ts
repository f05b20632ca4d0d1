import { Command } from 'commander';
import { DEFAULT_SYNTH_OPTIONS, writeSyntheticLog } from '@recd/datagen';
import type { Io } from '../io';
import { createProgress } from '../progress';
import { nonNegativeInt, positiveInt, positiveNumber } from '../options';
import { formatBytes } from '../table';

interface SynthCliOptions {
  output: string;
  events: number;
  users?: number;
  items: number;
  categories: number;
  concurrentSessions: number;
  meanSessionLength: number;
  clickRate: number;
  durationDays?: number;
  seed: number;
  quiet: boolean;
  json: boolean;
}

export function synthCommand(io: Io, done: (code: number) => void): Command {
  return new Command('synth')
    .description('write a seeded synthetic interaction log (CSV, the `synthetic` preset); see docs/synthetic-logs.md in @recd/datagen')
    .requiredOption('-o, --output <file>', 'CSV file to write (atomically)')
    .option('--events <n>', 'rows in the log', positiveInt, DEFAULT_SYNTH_OPTIONS.events)
    .option('--users <n>', 'distinct users (default: events / 40)', positiveInt)
    .option('--items <n>', 'catalog size', positiveInt, DEFAULT_SYNTH_OPTIONS.items)
    .option('--categories <n>', 'item categories', positiveInt, DEFAULT_SYNTH_OPTIONS.categories)
    .option('--concurrent-sessions <n>', 'sessions live at once: how interleaved the time-ordered log is', positiveInt, DEFAULT_SYNTH_OPTIONS.concurrentSessions)
    .option('--mean-session-length <n>', 'mean rows per session', positiveNumber, DEFAULT_SYNTH_OPTIONS.meanSessionLength)
    .option('--click-rate <p>', 'mean click probability of an impression', positiveNumber, DEFAULT_SYNTH_OPTIONS.clickRate)
    .option('--duration-days <n>', 'span of the log in days (sets the in-session gaps)', positiveNumber)
    .option('--seed <n>', 'random seed', nonNegativeInt, DEFAULT_SYNTH_OPTIONS.seed)
    .option('--quiet', 'no progress on stderr', false)
    .option('--json', 'print one JSON object as the last line of stdout', false)
    .action(async (options: SynthCliOptions) => {
      const progress = createProgress(io, 'synth', { quiet: options.quiet });
      const started = performance.now();
      let summary;
      try {
        summary = await writeSyntheticLog(
          options.output,
          {
            events: options.events,
            users: options.users,
            items: options.items,
            categories: options.categories,
            concurrentSessions: options.concurrentSessions,
            meanSessionLength: options.meanSessionLength,
            clickRate: options.clickRate,
            durationDays: options.durationDays,
            seed: options.seed,
          },
          (events) => progress.update(events, options.events, 'events'),
        );
      } finally {
        progress.stop();
      }
      const seconds = (performance.now() - started) / 1000;
      if (options.json) io.stdout(JSON.stringify({ command: 'synth', output: options.output, seconds, ...summary }) + '\n');
      else {
        io.stdout(
          `wrote ${summary.events} events (${summary.sessions} sessions, ${summary.users} users, ${summary.items} items; ` +
            `${summary.clicks} clicks, ${summary.buys} buys) to ${options.output}: ${formatBytes(summary.bytes)} in ${seconds.toFixed(2)} s\n`,
        );
      }
      done(0);
    });
}
