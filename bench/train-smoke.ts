/**
 * DLRM training throughput (forward + backward, no optimizer step) on the "sequence-heavy" config:
 * two session-constant user histories of 50 ids through the self-attention encoder, 8 per-sample
 * sparse features, dim 64, 13 dense inputs, bottom 13-256-64, top (64 + 55)-256-64-1, batch 1024.
 * The same model trains on the same batch twice over: session features as a KJT (every sample's
 * copy) and as an IKJT (unique rows + inverse), repetitions interleaved, median reported.
 *
 *   npx tsc -b packages/dlrm bench && node bench/dist/train-smoke.js [samplesPerSession ...] [--repetitions N] [--gemm]
 *
 * The model's math runs on the current backend (WebAssembly SIMD unless RECD_GEMM=ts). `--gemm`
 * adds a table of GEMM throughput, TypeScript against WebAssembly, on the model's shapes.
 *
 * Exports `benchTrainSmoke` for the bench runner's registry as well.
 */
import { InverseKeyedJaggedTensor, Rng, dedup, makeSessionBatch } from '@recd/core';
import { Dlrm, type DlrmConfig, type TrainingBatch, gemmBackend, gemmTs, gemmWasm, wasmAvailable } from '@recd/dlrm';
import { BenchContext, BenchResult, BenchTarget, Measurement, formatMs, formatRate, interleave } from './harness';

const BATCH_SIZE = 1024;
const DENSE = 13;
const SAMPLE_FEATURES = 8;
const HISTORIES = 2;
const HISTORY_LENGTH = 50;
const DIM = 64;
const TABLE_SIZE = 100_000;
const TARGET_SPEEDUP = 2.48;
const TARGET_SAMPLES_PER_SESSION = 8;

export function sequenceHeavyConfig(sampleKeys: readonly string[], historyKeys: readonly string[]): DlrmConfig {
  return {
    dense: DENSE,
    sparse: sampleKeys.map((name) => ({ name, tableSize: TABLE_SIZE })),
    sequence: historyKeys.map((name) => ({ name, tableSize: TABLE_SIZE, maxLength: HISTORY_LENGTH, encoder: 'attention' as const })),
    embeddingDim: DIM,
    bottomMlp: [256, DIM],
    topMlp: [256, 64, 1],
    seed: 1,
  };
}

interface PathResult {
  samplesPerSession: number;
  uniqueRows: number;
  /** Wall-clock and CPU seconds per step, one entry per repetition. */
  kjtSecondsPerStep: readonly number[];
  ikjtSecondsPerStep: readonly number[];
  kjtCpuSecondsPerStep: readonly number[];
  ikjtCpuSecondsPerStep: readonly number[];
  /** From the median wall-clock step. */
  kjtSamplesPerSecond: number;
  ikjtSamplesPerSecond: number;
  speedup: number;
  /** From the median CPU time per step (steadier on a shared machine). */
  cpuSpeedup: number;
  dedupMs: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function measure(samplesPerSession: number, repetitions: number, log: (message: string) => void): PathResult {
  const { kjt, sessionKeys, sampleKeys } = makeSessionBatch({
    batchSize: BATCH_SIZE,
    samplesPerSession,
    sessionIdFeatures: 0,
    sessionSequenceFeatures: HISTORIES,
    sequenceLength: HISTORY_LENGTH,
    sampleIdFeatures: SAMPLE_FEATURES,
    seed: samplesPerSession,
  });
  const rng = new Rng(2);
  const labels = Float32Array.from({ length: BATCH_SIZE }, () => rng.nextInt(2));
  const dense = Float32Array.from({ length: BATCH_SIZE * DENSE }, () => rng.nextNormal());
  const sparse = kjt.permute(sampleKeys);
  const sessionKjt = kjt.permute(sessionKeys);
  const dedupStart = process.hrtime.bigint();
  const sessionIkjt: InverseKeyedJaggedTensor = dedup(sessionKjt, [sessionKeys]);
  const dedupMs = Number(process.hrtime.bigint() - dedupStart) / 1e6;
  const kjtBatch: TrainingBatch = { size: BATCH_SIZE, labels, dense, sparse, sessionSparse: sessionKjt };
  const ikjtBatch: TrainingBatch = { size: BATCH_SIZE, labels, dense, sparse, sessionSparse: sessionIkjt };

  log(`train-smoke: ${samplesPerSession} samples/session, building the model`);
  const model = new Dlrm(sequenceHeavyConfig(sampleKeys, sessionKeys));
  const referenceLoss = model.lossAndBackward(kjtBatch);
  // No optimizer step: the parameters stay put, so every step must give the reference loss.
  const check = (label: string) => (loss: number) => {
    if (!(Math.abs(loss - referenceLoss) <= 1e-5 * Math.abs(referenceLoss))) {
      throw new Error(`train-smoke: ${label} loss ${loss} differs from the KJT path's ${referenceLoss}`);
    }
  };
  const kjtPath = new Measurement('kjt', () => model.lossAndBackward(kjtBatch), check('kjt'));
  const ikjtPath = new Measurement('ikjt', () => model.lossAndBackward(ikjtBatch), check('ikjt'));
  log(`train-smoke: ${samplesPerSession} samples/session, ${repetitions} interleaved repetitions`);
  interleave([kjtPath, ikjtPath], { repetitions, warmupMs: 1, minRepetitionMs: 1000 });
  const kjtSeconds = median(kjtPath.samples);
  const ikjtSeconds = median(ikjtPath.samples);
  return {
    samplesPerSession,
    uniqueRows: sessionIkjt.groups[0].unique.stride,
    kjtSecondsPerStep: kjtPath.samples,
    ikjtSecondsPerStep: ikjtPath.samples,
    kjtCpuSecondsPerStep: kjtPath.cpuSamples,
    ikjtCpuSecondsPerStep: ikjtPath.cpuSamples,
    kjtSamplesPerSecond: BATCH_SIZE / kjtSeconds,
    ikjtSamplesPerSecond: BATCH_SIZE / ikjtSeconds,
    speedup: kjtSeconds / ikjtSeconds,
    cpuSpeedup: median(kjtPath.cpuSamples) / median(ikjtPath.cpuSamples),
    dedupMs,
  };
}

interface GemmShape {
  label: string;
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
}

/** The model's products: a linear layer's forward (A B^T), its input gradient (A B), its weight gradient (A^T B). */
const GEMM_SHAPES: readonly GemmShape[] = [
  { label: 'A B^T 1024x64x64 (bottom/encoder projection)', transA: false, transB: true, m: 1024, n: 64, k: 64 },
  { label: 'A B^T 1024x256x119 (top MLP, first layer)', transA: false, transB: true, m: 1024, n: 256, k: 119 },
  { label: 'A B^T 51200x64x64 (attention scores projection, KJT)', transA: false, transB: true, m: 51200, n: 64, k: 64 },
  { label: 'A B 51200x64x64 (its input gradient)', transA: false, transB: false, m: 51200, n: 64, k: 64 },
  { label: 'A^T B 64x64x51200 (its weight gradient)', transA: true, transB: false, m: 64, n: 64, k: 51200 },
];

/** GFLOP/s (2mnk per call) of each backend on each shape, median of `repetitions`, ordinary Float32Arrays in and out. */
function measureGemm(repetitions: number): { shape: string; ts: number; wasm: number }[] {
  const rng = new Rng(3);
  const random = (length: number): Float32Array => Float32Array.from({ length }, () => 2 * rng.nextFloat() - 1);
  return GEMM_SHAPES.map(({ label, transA, transB, m, n, k }) => {
    const a = random(m * k);
    const b = random(k * n);
    const c = new Float32Array(m * n);
    const rate = (kernel: typeof gemmTs): number => {
      const measurement = new Measurement(label, () => kernel(transA, transB, m, n, k, a, b, c));
      interleave([measurement], { repetitions, warmupMs: 100, minRepetitionMs: 300 });
      return (2 * m * n * k) / median(measurement.samples) / 1e9;
    };
    return { shape: label, ts: rate(gemmTs), wasm: wasmAvailable() ? rate(gemmWasm) : NaN };
  });
}

export function benchTrainSmoke(context: BenchContext, samplesPerSessionList: readonly number[] = [TARGET_SAMPLES_PER_SESSION], options: { gemm?: boolean } = {}): BenchResult {
  const results = samplesPerSessionList.map((samplesPerSession) => measure(samplesPerSession, context.repetitions, (message) => context.log(message)));
  const targets: BenchTarget[] = results
    .filter((result) => result.samplesPerSession === TARGET_SAMPLES_PER_SESSION)
    .map((result) => ({
      target: `IKJT >= ${TARGET_SPEEDUP}x KJT training throughput at ${TARGET_SAMPLES_PER_SESSION} samples/session (sequence-heavy config)`,
      measured: `${result.speedup.toFixed(2)}x`,
      met: result.speedup >= TARGET_SPEEDUP,
    }));
  const gemm = options.gemm ? measureGemm(context.repetitions) : [];
  const tables: BenchResult['tables'] = [
    {
      columns: ['samples/session', 'unique sessions', 'KJT samples/s', 'IKJT samples/s', 'speedup', 'speedup (CPU time)', 'KJT ms/step', 'IKJT ms/step', 'dedup ms (loader)'],
      rows: results.map((result) => [
        String(result.samplesPerSession),
        String(result.uniqueRows),
        formatRate(result.kjtSamplesPerSecond),
        formatRate(result.ikjtSamplesPerSecond),
        `${result.speedup.toFixed(2)}x`,
        `${result.cpuSpeedup.toFixed(2)}x`,
        formatMs(median(result.kjtSecondsPerStep)),
        formatMs(median(result.ikjtSecondsPerStep)),
        result.dedupMs.toPrecision(3),
      ]),
    },
  ];
  if (gemm.length > 0) {
    tables.push({
      caption: 'GEMM throughput, GFLOP/s (wall clock, median), ordinary Float32Arrays in and out (the wasm column includes copying them into and out of wasm memory)',
      columns: ['shape', 'TypeScript', 'WebAssembly SIMD', 'ratio'],
      rows: gemm.map((row) => [row.shape, row.ts.toFixed(2), row.wasm.toFixed(2), `${(row.wasm / row.ts).toFixed(1)}x`]),
    });
  }
  return {
    title: 'DLRM training step: KJT vs IKJT session features',
    description:
      `Forward + backward of one batch of ${BATCH_SIZE} (no optimizer step), sequence-heavy DLRM: ${HISTORIES} session-constant histories of ` +
      `${HISTORY_LENGTH} ids through one self-attention layer (dim ${DIM}), ${SAMPLE_FEATURES} per-sample sparse features, ${DENSE} dense inputs, ` +
      `bottom ${DENSE}-256-${DIM}, top ${DIM + ((SAMPLE_FEATURES + HISTORIES + 1) * (SAMPLE_FEATURES + HISTORIES)) / 2}-256-64-1, tables of ${TABLE_SIZE} rows. ` +
      `The same model runs the batch with session features as a KJT and as an IKJT (dedup done beforehand, as the loader does); ` +
      `repetitions interleaved; median seconds per step. One thread; the model's math on the ${gemmBackend() === 'wasm' ? 'WebAssembly SIMD' : 'TypeScript'} kernels ` +
      `(backend '${gemmBackend()}', RECD_GEMM=ts forces TypeScript).`,
    tables,
    targets,
    data: { backend: gemmBackend(), results, gemm },
  };
}

function main(argv: readonly string[]): number {
  let repetitions = 3;
  let gemm = false;
  const samplesPerSession: number[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--repetitions') repetitions = Number(argv[++i]);
    else if (argv[i] === '--gemm') gemm = true;
    else samplesPerSession.push(Number(argv[i]));
  }
  if (!(Number.isInteger(repetitions) && repetitions >= 1) || samplesPerSession.some((s) => !(Number.isInteger(s) && s >= 1))) {
    process.stderr.write('usage: node bench/dist/train-smoke.js [samplesPerSession ...] [--repetitions N] [--gemm]\n');
    return 2;
  }
  const result = benchTrainSmoke({ repetitions, log: (message) => process.stderr.write(`${message}\n`) }, samplesPerSession.length > 0 ? samplesPerSession : undefined, { gemm });
  process.stdout.write(`${result.title} (backend: ${gemmBackend()})\n`);
  for (const { caption, columns, rows } of result.tables) {
    process.stdout.write(`\n${caption === undefined ? '' : `${caption}\n\n`}| ${columns.join(' | ')} |\n|${columns.map(() => '---').join('|')}|\n`);
    for (const row of rows) process.stdout.write(`| ${row.join(' | ')} |\n`);
  }
  for (const target of result.targets ?? []) process.stdout.write(`\n${target.met ? 'met' : 'NOT met'}: ${target.target}: ${target.measured}\n`);
  process.stdout.write(`${JSON.stringify({ data: result.data })}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
