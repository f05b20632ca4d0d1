/**
 * Training memory, dedup on versus off, on config (b): peak RSS of a separate process per mode
 * (train-memory-child.ts: the model, one batch and a few training steps), and the bytes of
 * activations the model keeps between forward and backward (Dlrm.activationBytes). A third
 * process builds the model and batch without training: the memory every mode shares.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import type { BenchContext, BenchResult } from './harness';
import type { MemoryChildResult } from './train-memory-child';
import { CONFIG_B, describeConfig } from './train-configs';

const STEPS = 3;
const MODES = ['none', 'off', 'on'] as const;
type Mode = (typeof MODES)[number];

function runChild(configName: string, samplesPerSession: number, mode: Mode): MemoryChildResult {
  const child = spawnSync(process.execPath, [path.join(__dirname, 'train-memory-child.js'), configName, String(samplesPerSession), mode, String(STEPS)], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.status !== 0) throw new Error(`train-memory child (${configName}, ${samplesPerSession}, ${mode}) exited with ${child.status}`);
  return JSON.parse(child.stdout) as MemoryChildResult;
}

const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

export function benchTrainMemory(context: BenchContext, samplesPerSessionList: readonly number[] = [1, 4, 8, 16]): BenchResult {
  const config = CONFIG_B;
  const results = samplesPerSessionList.map((samplesPerSession) => {
    context.log(`train-memory: ${samplesPerSession} samples/session, one process per mode`);
    const byMode = Object.fromEntries(MODES.map((mode) => [mode, runChild(config.name, samplesPerSession, mode)])) as Record<Mode, MemoryChildResult>;
    return { samplesPerSession, ...byMode };
  });
  return {
    title: 'DLRM training memory: dedup on vs off',
    description:
      `${describeConfig(config)}. Each cell is its own Node process: build the model and one batch, then ${STEPS} training steps (SGD) with ` +
      `session features as a KJT (dedup off) or an IKJT (dedup on), or no step ('model + data': what both share). Peak RSS: the child's VmHWM (/proc/self/status); activations = Dlrm.activationBytes(), the arrays the last forward kept for backward ` +
      `(layer inputs, ReLU outputs, attention tokens, queries and probabilities, the interaction input, logits; each counted once, the batch's own arrays excluded).`,
    tables: [
      {
        columns: [
          'samples/session', 'activations off MB', 'activations on MB', 'off/on', 'peak RSS model + data MB', 'peak RSS off MB', 'peak RSS on MB',
          'RSS above model + data, off MB', 'on MB', 'off/on',
        ],
        rows: results.map((r) => {
          const aboveOff = r.off.maxRssBytes - r.none.maxRssBytes;
          const aboveOn = r.on.maxRssBytes - r.none.maxRssBytes;
          return [
            String(r.samplesPerSession), mb(r.off.activationBytes), mb(r.on.activationBytes), `${(r.off.activationBytes / r.on.activationBytes).toFixed(2)}x`,
            mb(r.none.maxRssBytes), mb(r.off.maxRssBytes), mb(r.on.maxRssBytes), mb(aboveOff), mb(aboveOn), `${(aboveOff / aboveOn).toFixed(2)}x`,
          ];
        }),
      },
    ],
    data: { steps: STEPS, results },
  };
}
