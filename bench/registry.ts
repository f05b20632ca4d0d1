import type { BenchFunction } from './harness';
import { benchDedup } from './dedup';
import { benchCsv } from './csv';
import { benchStorage } from './storage';
import { benchDatagen } from './datagen';
import { benchLoader } from './loader';
import { benchTrain } from './train';
import { benchTrainEquivalence } from './train-equivalence';
import { benchTrainMemory } from './train-memory';
import { benchTrainQuality } from './train-quality';

export interface BenchmarkEntry {
  name: string;
  /** One line for `--help`. */
  summary: string;
  run: BenchFunction;
}

/** Every benchmark, in the order they run and appear in RESULTS.md. Add a file, then a line here. */
export const benchmarks: readonly BenchmarkEntry[] = [
  { name: 'dedup', summary: 'dedup + expand of a 4096-sample batch (6-key session group) vs the naive Map<string> way', run: benchDedup },
  {
    name: 'csv',
    summary: 'CSV parsing rows/s: the byte-level reader vs fast-csv and csv-parse (1M rows)',
    run: async (context) => {
      const result = await benchCsv({ repetitions: Math.min(context.repetitions, 3), log: context.log });
      return { title: result.title, description: result.description, tables: [result.table], notes: result.notes, data: result.data };
    },
  },
  { name: 'storage', summary: 'bytes per sample in time / session / random order, per codec and column (RECD_BENCH_EVENTS, default 2M)', run: (context) => benchStorage(context) },
  { name: 'datagen', summary: 'events/s from CSV to session-ordered ZSTD Parquet samples, recd vs DuckDB (RECD_BENCH_EVENTS, default 2M)', run: (context) => benchDatagen(context) },
  { name: 'loader', summary: 'loader samples/s from Parquet, dedup on vs off at 1/4/8/16 samples per session', run: (context) => benchLoader(context) },
  { name: 'train', summary: 'DLRM training steps/s, dedup on vs off, configs (a) and (b), at 1/4/8/16 samples per session, vs PyTorch (bench/peers)', run: (context) => benchTrain(context) },
  { name: 'train-equivalence', summary: 'DLRM training, dedup on vs off: loss at each of 100 steps and held-out AUC, config (b)', run: (context) => benchTrainEquivalence(context) },
  { name: 'train-memory', summary: 'DLRM training peak RSS (a process per mode) and activation bytes, dedup on vs off, config (b)', run: (context) => benchTrainMemory(context) },
  { name: 'train-quality', summary: 'DLRM held-out AUC/NE on MovieLens ml-latest-small via the CLI, dedup on vs off, with a count baseline (RECD_MOVIELENS)', run: (context) => benchTrainQuality(context) },
];
