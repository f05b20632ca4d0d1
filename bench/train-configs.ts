/**
 * The two DLRM configs of issue 5's training benchmarks, and batches shaped for them:
 *
 *   (a) Criteo-like: 13 dense, 26 single-id sparse features (13 of them session-constant), dim 16,
 *       bottom 13-512-256-64-16, top 367-512-256-1, batch 2048;
 *   (b) sequence-heavy: two session-constant histories of 50 ids through the self-attention encoder,
 *       8 per-sample sparse features, dim 64, 13 dense, bottom 13-256-64, top 119-256-64-1, batch 1024.
 *
 * The same numbers go to the PyTorch peer (bench/peers/torch_dlrm.py), so both sides build one model.
 */
import { InverseKeyedJaggedTensor, Rng, dedup, makeSessionBatch } from '@recd/core';
import type { DlrmConfig, TrainingBatch } from '@recd/dlrm';

export interface TrainBenchConfig {
  /** 'a' and 'b' are the configs; tests use smaller ones. */
  name: string;
  label: string;
  batchSize: number;
  dense: number;
  dim: number;
  /** Widths after the dense input; the last is `dim`. */
  bottomMlp: number[];
  /** Widths after the interaction; the last is 1. */
  topMlp: number[];
  /** Per-sample single-id features. */
  sampleSparse: number;
  /** Session-constant single-id features. */
  sessionSparse: number;
  /** Session-constant sequences (fixed length `sequenceLength`) through the self-attention encoder. */
  sessionSequences: number;
  sequenceLength: number;
  /** Rows of every embedding table. */
  tableSize: number;
}

export const CONFIG_A: TrainBenchConfig = {
  name: 'a',
  label: '(a) Criteo-like',
  batchSize: 2048,
  dense: 13,
  dim: 16,
  bottomMlp: [512, 256, 64, 16],
  topMlp: [512, 256, 1],
  sampleSparse: 13,
  sessionSparse: 13,
  sessionSequences: 0,
  sequenceLength: 0,
  tableSize: 100_000,
};

export const CONFIG_B: TrainBenchConfig = {
  name: 'b',
  label: '(b) sequence-heavy',
  batchSize: 1024,
  dense: 13,
  dim: 64,
  bottomMlp: [256, 64],
  topMlp: [256, 64, 1],
  sampleSparse: 8,
  sessionSparse: 0,
  sessionSequences: 2,
  sequenceLength: 50,
  tableSize: 100_000,
};

/** Vectors entering the dot interaction: the bottom output and one per feature. */
export function interactionVectors(config: TrainBenchConfig): number {
  return 1 + config.sampleSparse + config.sessionSparse + config.sessionSequences;
}

/** One line naming the model, for table captions and descriptions. */
export function describeConfig(config: TrainBenchConfig): string {
  const n = interactionVectors(config);
  const features = [
    `${config.sampleSparse} per-sample sparse`,
    config.sessionSparse > 0 ? `${config.sessionSparse} session-constant sparse` : '',
    config.sessionSequences > 0 ? `${config.sessionSequences} session-constant histories of ${config.sequenceLength} ids (self-attention)` : '',
  ].filter((part) => part !== '');
  return (
    `${config.label}: ${config.dense} dense, ${features.join(', ')}, dim ${config.dim}, ` +
    `bottom ${[config.dense, ...config.bottomMlp].join('-')}, top ${[config.dim + (n * (n - 1)) / 2, ...config.topMlp].join('-')}, ` +
    `tables of ${config.tableSize} rows, batch ${config.batchSize}`
  );
}

export function dlrmConfigFor(config: TrainBenchConfig, sampleKeys: readonly string[], sessionKeys: readonly string[], seed = 1): DlrmConfig {
  const sessionIds = sessionKeys.slice(0, config.sessionSparse);
  const histories = sessionKeys.slice(config.sessionSparse);
  return {
    dense: config.dense,
    sparse: [...sampleKeys, ...sessionIds].map((name) => ({ name, tableSize: config.tableSize })),
    sequence: histories.map((name) => ({ name, tableSize: config.tableSize, maxLength: config.sequenceLength, encoder: 'attention' as const })),
    embeddingDim: config.dim,
    bottomMlp: config.bottomMlp,
    topMlp: config.topMlp,
    seed,
  };
}

/** One batch in both forms: session features whole (KJT, dedup off) and deduplicated (IKJT, dedup on). */
export interface BatchPair {
  kjt: TrainingBatch;
  ikjt: TrainingBatch;
  sampleKeys: string[];
  sessionKeys: string[];
  /** Distinct sessions in the batch (the IKJT's unique rows). */
  uniqueRows: number;
  /** Milliseconds `dedup` took (the loader's work, outside the training step). */
  dedupMs: number;
}

export interface BatchPairOptions {
  samplesPerSession: number;
  seed: number;
  /** Labels from the dense inputs (row-major, `batchSize x dense`) and a random source (default: random 0/1). */
  labels?: (dense: Float32Array, rng: Rng) => Float32Array;
}

/** A makeSessionBatch batch for `config`: sessions of `samplesPerSession` consecutive samples. */
export function makeBatchPair(config: TrainBenchConfig, options: BatchPairOptions): BatchPair {
  const size = config.batchSize;
  const { kjt, sessionKeys, sampleKeys } = makeSessionBatch({
    batchSize: size,
    samplesPerSession: options.samplesPerSession,
    sessionIdFeatures: config.sessionSparse,
    sessionSequenceFeatures: config.sessionSequences,
    sequenceLength: config.sequenceLength,
    sampleIdFeatures: config.sampleSparse,
    seed: options.seed,
  });
  const rng = new Rng(options.seed + 1_000_003);
  const dense = Float32Array.from({ length: size * config.dense }, () => rng.nextNormal());
  const sparse = kjt.permute(sampleKeys);
  const sessionKjt = kjt.permute(sessionKeys);
  const started = process.hrtime.bigint();
  const sessionIkjt: InverseKeyedJaggedTensor = dedup(sessionKjt, [sessionKeys]);
  const dedupMs = Number(process.hrtime.bigint() - started) / 1e6;
  const labels = options.labels?.(dense, rng) ?? Float32Array.from({ length: size }, () => rng.nextInt(2));
  return {
    kjt: { size, labels, dense, sparse, sessionSparse: sessionKjt },
    ikjt: { size, labels, dense, sparse, sessionSparse: sessionIkjt },
    sampleKeys,
    sessionKeys,
    uniqueRows: sessionIkjt.groups[0].unique.stride,
    dedupMs,
  };
}
