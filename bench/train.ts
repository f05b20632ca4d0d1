/**
 * DLRM training throughput, dedup off (session features as a KJT) versus on (an IKJT), on configs
 * (a) Criteo-like and (b) sequence-heavy (train-configs.ts), at 1, 4, 8 and 16 samples per session,
 * next to the same model in PyTorch (bench/peers/torch_dlrm.py, a child process, 2 threads) with
 * and without dedup. A step is forward, backward and an SGD step (embedding rows: only the touched).
 *
 *   npx tsc -b bench && node bench/dist/train.js [a|b ...] [--samples-per-session 1,4,8,16] [--repetitions N] [--no-torch] [--gemm]
 *
 * recd runs one thread on its current backend (WebAssembly SIMD unless RECD_GEMM=ts). `--gemm`
 * adds GEMM throughput, TypeScript against WebAssembly, on the model's shapes (train-gemm.ts).
 */
import * as os from 'node:os';
import { Dlrm, Sgd, Trainer, gemmBackend } from '@recd/dlrm';
import { BenchContext, BenchResult, BenchTable, BenchTarget, Measurement, formatMs, formatRate, stats } from './harness';
import { type TorchPeerOutcome, mergeTorchRuns, runTorchPeer } from './peers/torch-peer';
import { CONFIG_A, CONFIG_B, type TrainBenchConfig, describeConfig, dlrmConfigFor, makeBatchPair } from './train-configs';
import { gemmTable, measureGemm } from './train-gemm';

const TARGET_SPEEDUP = 2.48;
const TARGET_SAMPLES_PER_SESSION = 8;
const TARGET_VS_TORCH = 0.5;
const LR = 0.01;
/** PyTorch runs at each; ratios take the faster (on a loaded 2-core machine 2 threads can be slower than 1). */
const TORCH_THREADS = [1, 2];
const MIN_REPETITION_SECONDS = 1;

export interface RecdThroughput {
  samplesPerSession: number;
  uniqueRows: number;
  /** Wall-clock and CPU seconds per training step, one per repetition. */
  offSecondsPerStep: readonly number[];
  onSecondsPerStep: readonly number[];
  offCpuSecondsPerStep: readonly number[];
  onCpuSecondsPerStep: readonly number[];
  dedupMs: number;
}

const median = (values: readonly number[]): number => stats(values).median;

/**
 * recd on one config and samples/session: two models from one seed, one per batch form, their
 * repetitions interleaved; `afterRepetition` runs after each pair (the PyTorch peer's turn).
 */
function measureRecd(config: TrainBenchConfig, samplesPerSession: number, repetitions: number, log: (message: string) => void, afterRepetition: () => void): RecdThroughput {
  const pair = makeBatchPair(config, { samplesPerSession, seed: samplesPerSession });
  const dlrmConfig = dlrmConfigFor(config, pair.sampleKeys, pair.sessionKeys);
  log(`train ${config.name}: ${samplesPerSession} samples/session, building two models`);
  const off = new Trainer({ model: new Dlrm(dlrmConfig), optimizer: new Sgd({ lr: LR }) });
  const on = new Trainer({ model: new Dlrm(dlrmConfig), optimizer: new Sgd({ lr: LR }) });
  // The first step starts from the same parameters, so both forms must give the same loss.
  const offLoss = off.trainStep(pair.kjt);
  const onLoss = on.trainStep(pair.ikjt);
  if (!(Math.abs(onLoss - offLoss) <= 1e-5 * Math.abs(offLoss))) {
    throw new Error(`train ${config.name}: first-step loss with dedup ${onLoss} differs from without ${offLoss}`);
  }
  const finite = (loss: number): void => {
    if (!Number.isFinite(loss)) throw new Error(`train ${config.name}: non-finite loss ${loss}`);
  };
  const offPath = new Measurement('dedup off', () => off.trainStep(pair.kjt), finite);
  const onPath = new Measurement('dedup on', () => on.trainStep(pair.ikjt), finite);
  log(`train ${config.name}: ${samplesPerSession} samples/session, ${repetitions} interleaved repetitions`);
  for (const path of [offPath, onPath]) path.warmup(1);
  for (let r = 0; r < repetitions; r++) {
    for (const path of [offPath, onPath]) path.repetition(MIN_REPETITION_SECONDS * 1000);
    afterRepetition();
  }
  return {
    samplesPerSession,
    uniqueRows: pair.uniqueRows,
    offSecondsPerStep: offPath.samples,
    onSecondsPerStep: onPath.samples,
    offCpuSecondsPerStep: offPath.cpuSamples,
    onCpuSecondsPerStep: onPath.cpuSamples,
    dedupMs: pair.dedupMs,
  };
}

interface ConfigResult {
  config: TrainBenchConfig;
  recd: RecdThroughput[];
  torch: TorchPeerOutcome;
  loadAverageBefore: number;
  loadAverageAfter: number;
}

/** PyTorch's median seconds per step at one setting: at `threads`, or the fastest thread count when absent. */
function torchSecondsPerStep(torch: TorchPeerOutcome, samplesPerSession: number, dedup: boolean, threads?: number): number {
  if (!torch.ran) return NaN;
  const found = torch.results.filter((r) => r.samplesPerSession === samplesPerSession && r.dedup === dedup && (threads === undefined || r.threads === threads));
  return found.length === 0 ? NaN : Math.min(...found.map((r) => median(r.secondsPerStep)));
}

/** PyTorch's median CPU seconds per step at one thread (comparable with recd's one thread). */
function torchCpuSecondsPerStep(torch: TorchPeerOutcome, samplesPerSession: number, dedup: boolean): number {
  if (!torch.ran) return NaN;
  const found = torch.results.find((r) => r.samplesPerSession === samplesPerSession && r.dedup === dedup && r.threads === 1);
  return found === undefined ? NaN : median(found.cpuSecondsPerStep);
}

const ratio = (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}x` : 'n/a');
const rate = (batch: number, seconds: number): string => (Number.isFinite(seconds) ? formatRate(batch / seconds) : 'n/a');

function dedupTable(result: ConfigResult): BenchTable {
  const b = result.config.batchSize;
  return {
    caption: `${describeConfig(result.config)}. recd samples/s, dedup off vs on (median wall-clock step; the CPU column from the median CPU time per step).`,
    columns: ['samples/session', 'unique sessions', 'dedup off', 'dedup on', 'on/off', 'on/off (CPU time)', 'off ms/step', 'on ms/step'],
    rows: result.recd.map((r) => {
      const off = median(r.offSecondsPerStep);
      const on = median(r.onSecondsPerStep);
      return [
        String(r.samplesPerSession), String(r.uniqueRows), rate(b, off), rate(b, on), ratio(off / on),
        ratio(median(r.offCpuSecondsPerStep) / median(r.onCpuSecondsPerStep)), formatMs(off), formatMs(on),
      ];
    }),
  };
}

function torchTable(result: ConfigResult): BenchTable {
  const { config, recd, torch } = result;
  const b = config.batchSize;
  const threadColumns = TORCH_THREADS.flatMap((t) => [`torch off ${t}T`, `torch on ${t}T`]);
  return {
    caption:
      `Config (${config.name}) against PyTorch: PyTorch samples/s at ${TORCH_THREADS.join(' and ')} threads (T), dedup off and on; ` +
      `recd (one thread) over PyTorch at its faster thread count, same setting (wall clock), and over PyTorch at one thread by CPU time per step.`,
    columns: ['samples/session', ...threadColumns, 'recd/torch, off', 'recd/torch, on', 'recd on / torch off', 'recd/torch 1T CPU, off', 'recd/torch 1T CPU, on'],
    rows: recd.map((r) => {
      const off = median(r.offSecondsPerStep);
      const on = median(r.onSecondsPerStep);
      const torchOff = torchSecondsPerStep(torch, r.samplesPerSession, false);
      return [
        String(r.samplesPerSession),
        ...TORCH_THREADS.flatMap((t) => [false, true].map((dedup) => rate(b, torchSecondsPerStep(torch, r.samplesPerSession, dedup, t)))),
        ratio(torchOff / off), ratio(torchSecondsPerStep(torch, r.samplesPerSession, true) / on), ratio(torchOff / on),
        ratio(torchCpuSecondsPerStep(torch, r.samplesPerSession, false) / median(r.offCpuSecondsPerStep)),
        ratio(torchCpuSecondsPerStep(torch, r.samplesPerSession, true) / median(r.onCpuSecondsPerStep)),
      ];
    }),
  };
}

function targetsOf(results: readonly ConfigResult[]): BenchTarget[] {
  const targets: BenchTarget[] = [];
  for (const { config, recd, torch } of results) {
    for (const r of recd) {
      const off = median(r.offSecondsPerStep);
      const on = median(r.onSecondsPerStep);
      if (config.name === 'b' && r.samplesPerSession === TARGET_SAMPLES_PER_SESSION) {
        targets.push({
          target: `recd dedup on >= ${TARGET_SPEEDUP}x off at ${TARGET_SAMPLES_PER_SESSION} samples/session, config (b)`,
          measured: ratio(off / on),
          met: off / on >= TARGET_SPEEDUP,
        });
      }
      if (!torch.ran) continue;
      for (const dedup of [false, true]) {
        const vsTorch = torchSecondsPerStep(torch, r.samplesPerSession, dedup) / (dedup ? on : off);
        targets.push({
          target: `recd >= ${TARGET_VS_TORCH}x PyTorch, config (${config.name}), ${r.samplesPerSession} samples/session, dedup ${dedup ? 'on' : 'off'} on both`,
          measured: ratio(vsTorch),
          met: vsTorch >= TARGET_VS_TORCH,
        });
      }
      if (config.name === 'b') {
        const faster = torchSecondsPerStep(torch, r.samplesPerSession, false) / on;
        targets.push({
          target: `recd with dedup faster than PyTorch without, config (b), ${r.samplesPerSession} samples/session`,
          measured: ratio(faster),
          met: faster > 1,
        });
      }
    }
  }
  return targets;
}

export interface TrainBenchOptions {
  configs?: readonly TrainBenchConfig[];
  samplesPerSession?: readonly number[];
  torch?: boolean;
  gemm?: boolean;
}

export function benchTrain(context: BenchContext, options: TrainBenchOptions = {}): BenchResult {
  const configs = options.configs ?? [CONFIG_A, CONFIG_B];
  const samplesPerSession = options.samplesPerSession ?? [1, 4, 8, 16];
  const results: ConfigResult[] = configs.map((config) => {
    const loadAverageBefore = os.loadavg()[0];
    const torchRuns: TorchPeerOutcome[] = [];
    const recd = samplesPerSession.map((sps) =>
      measureRecd(config, sps, context.repetitions, (message) => context.log(message), () => {
        if (options.torch === false || torchRuns.some((run) => !run.ran)) return;
        context.log(`train ${config.name}: ${sps} samples/session, PyTorch peer (one repetition of each setting)`);
        torchRuns.push(runTorchPeer(config, {
          samplesPerSession: [sps], dedup: [false, true], threads: TORCH_THREADS, lr: LR,
          repetitions: 1, minRepetitionSeconds: MIN_REPETITION_SECONDS, warmupSeconds: 1, seed: 1,
        }));
      }),
    );
    const torch: TorchPeerOutcome = options.torch === false ? { ran: false, skipped: 'skipped by --no-torch' } : mergeTorchRuns(torchRuns);
    if (!torch.ran) context.log(`train ${config.name}: PyTorch comparison skipped: ${torch.skipped}`);
    return { config, recd, torch, loadAverageBefore, loadAverageAfter: os.loadavg()[0] };
  });
  const gemm = options.gemm ? measureGemm(context.repetitions) : [];
  const tables = [...results.flatMap((r) => (r.torch.ran ? [dedupTable(r), torchTable(r)] : [dedupTable(r)])), ...(gemm.length > 0 ? [gemmTable(gemm)] : [])];
  const torchInfo = results.map((r) => r.torch).find((t) => t.ran);
  const notes = [
    ...results.map((r) => `Config (${r.config.name}): 1-minute load average ${r.loadAverageBefore.toFixed(2)} before, ${r.loadAverageAfter.toFixed(2)} after (2 cores).`),
    ...results.filter((r) => !r.torch.ran).map((r) => `Config (${r.config.name}): PyTorch comparison skipped: ${(r.torch as { skipped: string }).skipped}.`),
    ...(torchInfo?.ran ? [`PyTorch ${torchInfo.torch} (Python ${torchInfo.python}), torch.set_num_threads at ${TORCH_THREADS.join(' and ')}; recd runs one thread.`] : []),
  ];
  return {
    title: 'DLRM training step: dedup on vs off, recd vs PyTorch',
    description:
      `One training step (forward, backward, SGD with lr ${LR}; embedding tables update only the touched rows) on one batch, repeated. ` +
      `recd: two models from one seed, one fed the batch with session-constant features as a KJT (dedup off, every sample's copy), ` +
      `the other as an IKJT (dedup on: lookups and encoders on the unique rows, expanded by the inverse index; dedup itself is the loader's work and not timed); ` +
      `the first steps' losses are checked equal, then repetitions are interleaved (each at least ${MIN_REPETITION_SECONDS} s), median reported. ` +
      `recd runs one thread on the ${gemmBackend() === 'wasm' ? 'WebAssembly SIMD' : 'TypeScript'} kernels (RECD_GEMM=ts forces TypeScript). ` +
      `PyTorch: bench/peers/torch_dlrm.py, the same model (nn.Embedding with sparse gradients, padded self-attention, bmm interaction, torch.optim.SGD), ` +
      `run as a child process on the same config at ${TORCH_THREADS.join(' and ')} threads (ratios use the faster), dedup off (every sample's copy) and on (embeddings and encoders on the unique rows, then index_select by the inverse), ` +
      `timed the same way (1 s warmup, repetitions of at least ${MIN_REPETITION_SECONDS} s, median); its data is random with the same shapes and session structure.`,
    tables,
    targets: targetsOf(results),
    notes,
    data: {
      backend: gemmBackend(),
      lr: LR,
      configs: results.map((r) => ({ config: r.config, recd: r.recd, torch: r.torch, loadAverageBefore: r.loadAverageBefore, loadAverageAfter: r.loadAverageAfter })),
      gemm,
    },
  };
}

function main(argv: readonly string[]): number {
  let repetitions = 3;
  const options: TrainBenchOptions = {};
  const configs: TrainBenchConfig[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--repetitions') repetitions = Number(argv[++i]);
    else if (arg === '--samples-per-session') options.samplesPerSession = argv[++i].split(',').map(Number);
    else if (arg === '--no-torch') options.torch = false;
    else if (arg === '--gemm') options.gemm = true;
    else if (arg === 'a' || arg === 'b') configs.push(arg === 'a' ? CONFIG_A : CONFIG_B);
    else {
      process.stderr.write(`unknown argument ${arg}\nusage: node bench/dist/train.js [a|b ...] [--samples-per-session 1,4,8,16] [--repetitions N] [--no-torch] [--gemm]\n`);
      return 2;
    }
  }
  if (configs.length > 0) options.configs = configs;
  const sps = options.samplesPerSession ?? [];
  if (!(Number.isInteger(repetitions) && repetitions >= 1) || sps.some((s) => !(Number.isInteger(s) && s >= 1))) {
    process.stderr.write('--repetitions and --samples-per-session take positive integers\n');
    return 2;
  }
  const result = benchTrain({ repetitions, log: (message) => process.stderr.write(`${message}\n`) }, options);
  process.stdout.write(`${result.title} (backend: ${gemmBackend()})\n`);
  for (const { caption, columns, rows } of result.tables) {
    process.stdout.write(`\n${caption === undefined ? '' : `${caption}\n\n`}| ${columns.join(' | ')} |\n|${columns.map(() => '---').join('|')}|\n`);
    for (const row of rows) process.stdout.write(`| ${row.join(' | ')} |\n`);
  }
  for (const target of result.targets ?? []) process.stdout.write(`${target.met ? 'met' : 'NOT met'}: ${target.target}: ${target.measured}\n`);
  for (const note of result.notes ?? []) process.stdout.write(`${note}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
