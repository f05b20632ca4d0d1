/**
 * What every benchmark shares: the result it returns, the context the runner hands it, and timing
 * (warmup, then N timed repetitions summarised by median, min and max).
 *
 * A benchmark is a file exporting `(context) => BenchResult` plus one line in `registry.ts`; the
 * runner (`run.ts`) saves the result with the machine and command and rebuilds RESULTS.md.
 */
import * as v8 from 'node:v8';
import * as vm from 'node:vm';

/** What a benchmark reports. Tables hold formatted cells; `data` holds the raw numbers. */
export interface BenchResult {
  title: string;
  /** What was measured and how, as Markdown (one paragraph or a few). */
  description: string;
  /** One or more tables; the first is the headline. */
  tables: BenchTable[];
  /** Targets from the issue, each with what was measured and whether it was met. */
  targets?: BenchTarget[];
  notes?: string[];
  /** Machine-readable numbers (seconds, counts) for later comparison. */
  data: unknown;
}

export interface BenchTable {
  /** A line above the table saying what it shows (optional for the first). */
  caption?: string;
  columns: string[];
  rows: string[][];
}

export interface BenchTarget {
  target: string;
  measured: string;
  met: boolean;
}

export interface BenchContext {
  /** Timed repetitions per measurement (median, min and max are taken over them). */
  repetitions: number;
  /** Progress line on stderr. */
  log(message: string): void;
}

export type BenchFunction = (context: BenchContext) => BenchResult | Promise<BenchResult>;

export interface Stats {
  median: number;
  min: number;
  max: number;
  count: number;
}

export function stats(samples: readonly number[]): Stats {
  if (samples.length === 0) return { median: NaN, min: NaN, max: NaN, count: 0 };
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], count: sorted.length };
}

/** A measurement whatever its output type: what the runner and reports need. */
export interface Timed {
  readonly label: string;
  readonly samples: readonly number[];
  readonly cpuSamples: readonly number[];
  warmup(ms: number): void;
  repetition(minMs: number): number;
  stats(): Stats;
  cpuStats(): Stats;
}

/**
 * One operation under measurement. A repetition calls `run` until at least `minMs` of timed work
 * has passed (at least once) and records the mean seconds per call, by the wall clock and by this
 * process's CPU time (user + system: on a shared machine the wall clock also counts time spent
 * waiting for a core). `check` sees every output, untimed, and throws when it is wrong, so a fast
 * but wrong path never reports a number.
 */
export class Measurement<T> implements Timed {
  readonly label: string;
  /** Wall-clock seconds per call, one entry per timed repetition. */
  readonly samples: number[] = [];
  /** CPU seconds per call (user + system, all threads of the process), one per repetition. */
  readonly cpuSamples: number[] = [];
  readonly #run: () => T;
  readonly #check: ((output: T) => void) | undefined;

  constructor(label: string, run: () => T, check?: (output: T) => void) {
    this.label = label;
    this.#run = run;
    this.#check = check;
  }

  /** Runs (and checks) for about `ms` without recording, so the JIT has settled. */
  warmup(ms: number): void {
    collectGarbage();
    this.#repeat(ms);
  }

  repetition(minMs: number): number {
    collectGarbage();
    const { wall, cpu } = this.#repeat(minMs);
    this.samples.push(wall);
    this.cpuSamples.push(cpu);
    return wall;
  }

  stats(): Stats {
    return stats(this.samples);
  }

  cpuStats(): Stats {
    return stats(this.cpuSamples);
  }

  #repeat(minMs: number): { wall: number; cpu: number } {
    const minNs = BigInt(Math.round(minMs * 1e6));
    let timed = 0n;
    let cpuMicros = 0;
    let calls = 0;
    do {
      const cpuStart = process.cpuUsage();
      const start = process.hrtime.bigint();
      const output = this.#run();
      timed += process.hrtime.bigint() - start;
      const cpu = process.cpuUsage(cpuStart);
      cpuMicros += cpu.user + cpu.system;
      calls++;
      this.#check?.(output);
    } while (timed < minNs);
    return { wall: Number(timed) / 1e9 / calls, cpu: cpuMicros / 1e6 / calls };
  }
}

/**
 * A full garbage collection, run before each repetition (untimed) so that garbage one measurement
 * leaves behind is not collected, on the clock or by GC threads on the other core, during the next.
 */
export const collectGarbage: () => void = (() => {
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as (() => void) | undefined;
  return gc ?? ((): void => undefined);
})();

export interface InterleaveOptions {
  repetitions: number;
  /** Warmup per measurement, in ms. */
  warmupMs: number;
  /** Minimum timed work per repetition, in ms. */
  minRepetitionMs: number;
}

/**
 * Warms up every measurement, then runs their repetitions in turn (a, b, a, b, ...), so a burst of
 * load from elsewhere on a shared machine hits all of them alike and their ratio stays fair.
 */
export function interleave(measurements: readonly Timed[], options: InterleaveOptions): void {
  for (const measurement of measurements) measurement.warmup(options.warmupMs);
  for (let r = 0; r < options.repetitions; r++) {
    for (const measurement of measurements) measurement.repetition(options.minRepetitionMs);
  }
}

/** `123.4M`, `5.67k`: three significant digits with an SI suffix. */
export function formatRate(perSecond: number): string {
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [scale, suffix] of units) if (Math.abs(perSecond) >= scale) return `${(perSecond / scale).toPrecision(3)}${suffix}`;
  return perSecond.toPrecision(3);
}

/** Milliseconds with three significant digits. */
export function formatMs(seconds: number): string {
  return (seconds * 1e3).toPrecision(3);
}
