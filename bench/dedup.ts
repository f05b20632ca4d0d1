/**
 * dedup + expand of one batch, the fast exact path (`dedup`) against the obvious JavaScript way
 * (`dedupReference`: each row joined into a string, a Map finds repeats), side by side in one run.
 */
import { KeyedJaggedTensor, InverseKeyedJaggedTensor, dedup, dedupReference, makeSessionBatch } from '@recd/core';
import { BenchContext, BenchResult, BenchTarget, Measurement, Timed, formatMs, formatRate, interleave, stats } from './harness';

const BATCH_SIZE = 4096;
const SESSION_ID_FEATURES = 4;
const SESSION_SEQUENCE_FEATURES = 2;
const SEQUENCE_LENGTH = 50;
const SAMPLE_ID_FEATURES = 2;
const SAMPLES_PER_SESSION = [1, 2, 4, 8, 16];

const TARGET_IDS_PER_SECOND = 100e6;
const TARGET_SPEEDUP = 20;

interface Output {
  ikjt: InverseKeyedJaggedTensor;
  expanded: KeyedJaggedTensor;
}

interface Timing {
  /** Wall-clock seconds per call: median, min, max over the repetitions, and every repetition. */
  median: number;
  min: number;
  max: number;
  samples: readonly number[];
  /** CPU seconds per call (user + system): median, and every repetition. */
  cpuMedian: number;
  cpuSamples: readonly number[];
}

interface ConfigResult {
  samplesPerSession: number;
  uniqueRows: number;
  groupIds: number;
  fast: Timing;
  naive: Timing;
  /** Allocating the arrays dedup + expand return and filling each with one native copy. */
  outputFloor: Timing;
  fastIdsPerSecond: number;
  naiveIdsPerSecond: number;
  /**
   * Median over repetitions of naive / dedup seconds, each pair measured back to back: load that
   * comes and goes between repetitions cancels out of the ratio.
   */
  speedup: number;
  /** Ratio of the two medians, for comparison. */
  speedupOfMedians: number;
}

function timing(measurement: Timed): Timing {
  const wall = measurement.stats();
  return { median: wall.median, min: wall.min, max: wall.max, samples: measurement.samples, cpuMedian: measurement.cpuStats().median, cpuSamples: measurement.cpuSamples };
}

export function benchDedup(context: BenchContext): BenchResult {
  const configs: ConfigResult[] = [];
  for (const samplesPerSession of SAMPLES_PER_SESSION) {
    const { kjt, sessionKeys } = makeSessionBatch({
      batchSize: BATCH_SIZE,
      samplesPerSession,
      sessionIdFeatures: SESSION_ID_FEATURES,
      sessionSequenceFeatures: SESSION_SEQUENCE_FEATURES,
      sequenceLength: SEQUENCE_LENGTH,
      sampleIdFeatures: SAMPLE_ID_FEATURES,
      seed: samplesPerSession,
    });
    const groups = [sessionKeys];
    const groupIds = sessionKeys.reduce((sum, key) => sum + kjt.get(key).values.length, 0);
    // Each call gets a fresh KJT over the same arrays, so offsets cached by an earlier call do not
    // flatter the next one (a real batch arrives with nothing derived yet).
    const fresh = (): KeyedJaggedTensor => KeyedJaggedTensor.fromLengths({ keys: kjt.keys, values: kjt.values, lengths: kjt.lengths });

    const expected = dedupReference(fresh(), groups);
    const expectedGroup = expected.groups[0];
    const sessions = Math.ceil(BATCH_SIZE / samplesPerSession);
    if (expectedGroup.unique.stride !== sessions) {
      throw new Error(`dedup bench: the batch should hold ${sessions} distinct sessions, the reference found ${expectedGroup.unique.stride}`);
    }
    const check = (label: string) => (output: Output) => {
      const group = output.ikjt.groups[0];
      if (!group.unique.equals(expectedGroup.unique) || !sameInt32(group.inverse, expectedGroup.inverse)) {
        throw new Error(`dedup bench: ${label} at ${samplesPerSession} samples/session: unique rows or inverse differ from the reference`);
      }
      if (!output.expanded.equals(kjt)) {
        throw new Error(`dedup bench: ${label} at ${samplesPerSession} samples/session: expand() does not give back the input batch`);
      }
    };
    const fast = new Measurement<Output>(
      'dedup',
      () => {
        const ikjt = dedup(fresh(), groups);
        return { ikjt, expanded: ikjt.expand() };
      },
      check('dedup'),
    );
    const naive = new Measurement<Output>(
      'dedupReference',
      () => {
        const ikjt = dedupReference(fresh(), groups);
        return { ikjt, expanded: ikjt.expand() };
      },
      check('dedupReference'),
    );
    // The least any dedup + expand returning new arrays can cost: allocate what it returns (the
    // expanded batch and the unique rows) and fill each with one native copy. Fresh memory is
    // costly where page faults are (in a VM, for one), and this shows how much.
    const outputIds = kjt.values.length;
    const uniqueIds = expectedGroup.unique.values.length;
    const source = kjt.values as BigInt64Array;
    const outputFloor = new Measurement<BigInt64Array[]>('output floor', () => {
      const expanded = new BigInt64Array(outputIds);
      expanded.set(source);
      const unique = new BigInt64Array(uniqueIds);
      unique.set(source.subarray(0, uniqueIds));
      return [expanded, unique];
    });
    context.log(`${samplesPerSession} samples/session: ${sessions} unique rows, ${groupIds} group ids per batch; ${context.repetitions} repetitions`);
    interleave([fast, naive, outputFloor], { repetitions: context.repetitions, warmupMs: 400, minRepetitionMs: 150 });
    const result: ConfigResult = {
      samplesPerSession,
      uniqueRows: sessions,
      groupIds,
      fast: timing(fast),
      naive: timing(naive),
      outputFloor: timing(outputFloor),
      fastIdsPerSecond: groupIds / fast.stats().median,
      naiveIdsPerSecond: groupIds / naive.stats().median,
      speedup: stats(naive.samples.map((seconds, r) => seconds / fast.samples[r])).median,
      speedupOfMedians: naive.stats().median / fast.stats().median,
    };
    configs.push(result);
    context.log(
      `${samplesPerSession} samples/session: dedup ${formatRate(result.fastIdsPerSecond)} ids/s ` +
        `(${formatMs(result.fast.median)} ms, cpu ${formatMs(result.fast.cpuMedian)} ms, output floor ${formatMs(result.outputFloor.median)} ms), ` +
        `naive ${formatRate(result.naiveIdsPerSecond)} ids/s, ${result.speedup.toFixed(1)}x`,
    );
  }

  const slowest = configs.reduce((a, b) => (a.fastIdsPerSecond < b.fastIdsPerSecond ? a : b));
  const slowestByCpu = configs.reduce((a, b) => (a.groupIds / a.fast.cpuMedian < b.groupIds / b.fast.cpuMedian ? a : b));
  const leastSpeedup = configs.reduce((a, b) => (a.speedup < b.speedup ? a : b));
  const targets: BenchTarget[] = [
    {
      target: `dedup + expand >= ${formatRate(TARGET_IDS_PER_SECOND)} id values/s on one core (wall clock), every session size`,
      measured: `lowest median ${formatRate(slowest.fastIdsPerSecond)} (at ${slowest.samplesPerSession} samples/session)`,
      met: slowest.fastIdsPerSecond >= TARGET_IDS_PER_SECOND,
    },
    {
      target: `(for information) the same by CPU time, which leaves out waiting for a core`,
      measured: `lowest median ${formatRate(slowestByCpu.groupIds / slowestByCpu.fast.cpuMedian)} (at ${slowestByCpu.samplesPerSession} samples/session)`,
      met: slowestByCpu.groupIds / slowestByCpu.fast.cpuMedian >= TARGET_IDS_PER_SECOND,
    },
    {
      target: `>= ${TARGET_SPEEDUP}x the naive way, every session size`,
      measured: `lowest ${leastSpeedup.speedup.toFixed(1)}x (at ${leastSpeedup.samplesPerSession} samples/session)`,
      met: leastSpeedup.speedup >= TARGET_SPEEDUP,
    },
  ];

  const range = (seconds: Timing, ids: number): string => `${formatRate(ids / seconds.max)}–${formatRate(ids / seconds.min)}`;
  return {
    title: 'exact dedup + expand of a session group',
    description: [
      `One batch of ${BATCH_SIZE} samples from \`makeSessionBatch\`: a session-constant dedup group of ${SESSION_ID_FEATURES} single-id`,
      `features and ${SESSION_SEQUENCE_FEATURES} sequence features of length ${SEQUENCE_LENGTH} (int64 ids, ${SESSION_ID_FEATURES + SESSION_SEQUENCE_FEATURES * SEQUENCE_LENGTH}`,
      `per sample, ${configs[0].groupIds} per batch), plus ${SAMPLE_ID_FEATURES} per-sample single-id features that pass through.`,
      'One call is `dedup(kjt, [group])` then `.expand()` (the whole batch back);',
      'the baseline is the same with `dedupReference`, the obvious JavaScript way (each row joined into a string, a `Map`',
      'finds repeats). **id values/s** = ids of the group in the batch / median seconds per call, on one JavaScript thread.',
      'Every output is checked, untimed: the unique rows and inverse must equal the reference and `expand()` must equal',
      'the input. The measurements alternate repetition by repetition (after a warmup), so load from elsewhere hits all alike.',
    ].join(' '),
    tables: [
      {
        columns: ['samples/session', 'unique rows', 'dedup ms', 'dedup id values/s (min–max)', 'naive ms', 'naive id values/s (min–max)', 'speedup'],
        rows: configs.map((c) => [
          String(c.samplesPerSession),
          String(c.uniqueRows),
          formatMs(c.fast.median),
          `**${formatRate(c.fastIdsPerSecond)}** (${range(c.fast, c.groupIds)})`,
          formatMs(c.naive.median),
          `${formatRate(c.naiveIdsPerSecond)} (${range(c.naive, c.groupIds)})`,
          `**${c.speedup.toFixed(1)}x**`,
        ]),
      },
      {
        caption:
          'Where the time goes (medians, ms per call). *cpu* is the process\'s CPU time (user + system), which leaves out ' +
          'time spent waiting for a core on a shared machine. *output floor* allocates the arrays one dedup + expand returns ' +
          '(the expanded batch and the unique rows) and fills each with one native copy: the least any implementation that ' +
          'returns new arrays pays, mostly page faults on fresh memory. *beyond floor* = dedup cpu - output floor cpu: ' +
          'hashing, comparing and per-row copying.',
        columns: ['samples/session', 'dedup wall', 'dedup cpu', 'dedup id values/s by cpu', 'output floor wall', 'output floor cpu', 'beyond floor (cpu)', 'naive wall', 'naive cpu'],
        rows: configs.map((c) => [
          String(c.samplesPerSession),
          formatMs(c.fast.median),
          formatMs(c.fast.cpuMedian),
          formatRate(c.groupIds / c.fast.cpuMedian),
          formatMs(c.outputFloor.median),
          formatMs(c.outputFloor.cpuMedian),
          formatMs(c.fast.cpuMedian - c.outputFloor.cpuMedian),
          formatMs(c.naive.median),
          formatMs(c.naive.cpuMedian),
        ]),
      },
    ],
    targets,
    notes: [
      'ms = median wall-clock milliseconds per call (dedup + expand of one batch); min–max are over the repetitions.',
      'speedup = median over repetitions of naive time / dedup time, each pair measured back to back (load that comes and goes cancels out).',
      'A full garbage collection runs (untimed) before every repetition, so garbage the naive path leaves is not collected while dedup is timed.',
      'Each call starts from a fresh KeyedJaggedTensor over the same arrays, so offsets derived by one call are not reused by the next.',
    ],
    data: { batchSize: BATCH_SIZE, configs },
  };
}

function sameInt32(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
