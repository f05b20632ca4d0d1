/**
 * One process, one training mode, for train-memory.ts: builds config (a) or (b) and one batch,
 * runs `steps` training steps (SGD) with session features as a KJT ('off'), as an IKJT ('on'), or
 * none at all ('none': the model and data alone), then prints one JSON line with the peak RSS and
 * the bytes of activations the last forward kept for backward.
 *
 *   node bench/dist/train-memory-child.js a|b SAMPLES_PER_SESSION off|on|none STEPS
 */
import * as fs from 'node:fs';
import { Dlrm, Sgd, Trainer } from '@recd/dlrm';
import { CONFIG_A, CONFIG_B, dlrmConfigFor, makeBatchPair } from './train-configs';

export interface MemoryChildResult {
  maxRssBytes: number;
  activationBytes: number;
  /** Bytes of ArrayBuffers (the model's parameters and buffers, the batch; wasm memory included). */
  arrayBuffersBytes: number;
  heapUsedBytes: number;
}

/**
 * This process's peak resident set: VmHWM from /proc/self/status where there is one. Not
 * getrusage's maxRSS: Linux keeps that across exec, so a child started by a big parent (the
 * bench runner) would report the parent's peak.
 */
function peakRssBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (match) return Number(match[1]) * 1024;
  } catch {
    // no procfs: fall back to getrusage
  }
  return process.resourceUsage().maxRSS * 1024;
}

function main(argv: readonly string[]): number {
  const [name, spsText, mode, stepsText] = argv;
  const config = name === 'a' ? CONFIG_A : name === 'b' ? CONFIG_B : undefined;
  const samplesPerSession = Number(spsText);
  const steps = Number(stepsText);
  if (config === undefined || !(samplesPerSession >= 1) || !['off', 'on', 'none'].includes(mode) || !(steps >= 1)) {
    process.stderr.write('usage: node bench/dist/train-memory-child.js a|b SAMPLES_PER_SESSION off|on|none STEPS\n');
    return 2;
  }
  const pair = makeBatchPair(config, { samplesPerSession, seed: samplesPerSession });
  const model = new Dlrm(dlrmConfigFor(config, pair.sampleKeys, pair.sessionKeys));
  const trainer = new Trainer({ model, optimizer: new Sgd({ lr: 0.01 }) });
  if (mode !== 'none') for (let s = 0; s < steps; s++) trainer.trainStep(mode === 'on' ? pair.ikjt : pair.kjt);
  const memory = process.memoryUsage();
  const result: MemoryChildResult = {
    maxRssBytes: peakRssBytes(),
    activationBytes: mode === 'none' ? 0 : model.activationBytes(),
    arrayBuffersBytes: memory.arrayBuffers,
    heapUsedBytes: memory.heapUsed,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
