/**
 * Runs the PyTorch peer (torch_dlrm.py beside this file) as a child process on one of the training
 * configs and returns its seconds per step, or why it was skipped (no python3, no torch).
 *
 * The interpreter is /usr/bin/python3 (Debian's, where `apt-get install python3-torch` puts torch),
 * or RECD_PYTHON when set.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TrainBenchConfig } from '../train-configs';

export interface TorchPeerSettings {
  samplesPerSession: readonly number[];
  /** Which modes to time: dedup off (KJT-like, every sample's copy) and/or on (unique rows + index_select). */
  dedup: readonly boolean[];
  /** Thread counts to time each setting at (torch.set_num_threads). */
  threads: readonly number[];
  lr: number;
  repetitions: number;
  minRepetitionSeconds: number;
  warmupSeconds: number;
  seed: number;
}

export interface TorchPeerMeasurement {
  samplesPerSession: number;
  dedup: boolean;
  threads: number;
  uniqueRows: number;
  /** Wall-clock and CPU seconds per training step, one per repetition. */
  secondsPerStep: number[];
  cpuSecondsPerStep: number[];
}

export type TorchPeerOutcome =
  | { ran: true; torch: string; python: string; peakRssBytes: number; results: TorchPeerMeasurement[] }
  | { ran: false; skipped: string };

/** bench/peers in the source tree, whether this runs from bench/dist/peers or from the sources. */
function peersDir(): string {
  const dist = path.basename(path.dirname(__dirname)) === 'dist';
  return dist ? path.join(path.dirname(path.dirname(__dirname)), 'peers') : __dirname;
}

export function pythonPath(): string {
  return process.env.RECD_PYTHON ?? '/usr/bin/python3';
}

export function runTorchPeer(config: TrainBenchConfig, settings: TorchPeerSettings): TorchPeerOutcome {
  const python = pythonPath();
  if (!fs.existsSync(python)) return { ran: false, skipped: `${python} not found (install python3 and python3-torch, or set RECD_PYTHON)` };
  const script = path.join(peersDir(), 'torch_dlrm.py');
  const spec = { ...config, ...settings };
  const child = spawnSync(python, [script], { input: JSON.stringify(spec), encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['pipe', 'pipe', 'inherit'] });
  if (child.error) return { ran: false, skipped: `${python} could not run: ${child.error.message}` };
  let output: unknown;
  try {
    output = JSON.parse(child.stdout);
  } catch {
    throw new Error(`torch peer: exit code ${child.status}, output is not JSON: ${child.stdout.slice(0, 500)}`);
  }
  if (child.status === 3 && typeof (output as { skipped?: unknown }).skipped === 'string') {
    return { ran: false, skipped: (output as { skipped: string }).skipped };
  }
  if (child.status !== 0) throw new Error(`torch peer: exit code ${child.status}`);
  return { ran: true, ...(output as Omit<Extract<TorchPeerOutcome, { ran: true }>, 'ran'>) };
}

/**
 * One outcome from several runs of the peer: each setting's per-repetition times concatenated, the
 * largest peak RSS; skipped when any run was (or when there were none).
 */
export function mergeTorchRuns(runs: readonly TorchPeerOutcome[]): TorchPeerOutcome {
  const skipped = runs.find((run) => !run.ran);
  if (skipped !== undefined || runs.length === 0) return skipped ?? { ran: false, skipped: 'no runs' };
  const ran = runs as Extract<TorchPeerOutcome, { ran: true }>[];
  const settings = new Map<string, TorchPeerMeasurement>();
  for (const run of ran) {
    for (const m of run.results) {
      const key = `${m.samplesPerSession}/${m.dedup}/${m.threads}`;
      const merged = settings.get(key);
      if (merged === undefined) settings.set(key, { ...m, secondsPerStep: [...m.secondsPerStep], cpuSecondsPerStep: [...m.cpuSecondsPerStep] });
      else {
        merged.secondsPerStep.push(...m.secondsPerStep);
        merged.cpuSecondsPerStep.push(...m.cpuSecondsPerStep);
      }
    }
  }
  return {
    ran: true,
    torch: ran[0].torch,
    python: ran[0].python,
    peakRssBytes: Math.max(...ran.map((run) => run.peakRssBytes)),
    results: [...settings.values()],
  };
}
