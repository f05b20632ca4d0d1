import type { Optimizer, OptimizerState } from '../optim';
import type { Parameter } from '../parameter';
import { CheckpointError } from './checkpoint-error';
import type { Tensor } from './dtype';
import { loadSafetensors } from './safetensors-read';
import { saveSafetensors } from './safetensors-write';

/** Tensor-name prefixes: model parameters and optimizer state live side by side in one file. */
export const PARAMETER_PREFIX = 'param/';
export const OPTIMIZER_PREFIX = 'optim/';
const FORMAT = 'recd-checkpoint';
const VERSION = '1';

export interface CheckpointMetadata {
  /** Optimizer steps taken. */
  step: number;
  epoch: number;
  /** Any JSON-serializable value (the run's configuration); stored as JSON text. */
  config?: unknown;
}

export interface LoadCheckpointOptions {
  /** Reject parameters in the file that `params` does not have. Default true. */
  strict?: boolean;
}

/**
 * Saves parameter values (`param/<name>`, F32, the parameter's shape) and optimizer state
 * (`optim/<key>`, F32, flat) as one safetensors file, written atomically. Metadata holds
 * `recd.format`, `recd.version`, `step`, `epoch` and `config` (JSON). Gradients are not saved.
 */
export async function saveCheckpoint(path: string, params: readonly Parameter[], optimizerState: OptimizerState | undefined, metadata: CheckpointMetadata): Promise<void> {
  checkCount(metadata.step, 'step');
  checkCount(metadata.epoch, 'epoch');
  const tensors: Record<string, Tensor> = Object.create(null);
  for (const param of params) {
    const name = PARAMETER_PREFIX + param.name;
    if (name in tensors) throw new CheckpointError(`saveCheckpoint: two parameters are named "${param.name}"`);
    tensors[name] = { dtype: 'F32', shape: param.shape, data: param.value };
  }
  for (const [key, buffer] of Object.entries(optimizerState ?? {})) {
    tensors[OPTIMIZER_PREFIX + key] = { dtype: 'F32', shape: [buffer.length], data: buffer };
  }
  await saveSafetensors(path, tensors, {
    'recd.format': FORMAT,
    'recd.version': VERSION,
    step: String(metadata.step),
    epoch: String(metadata.epoch),
    config: JSON.stringify(metadata.config ?? null),
  });
}

/**
 * Restores parameter values by name and, if `optimizer` is given, its state; returns the saved
 * metadata. Every parameter must be in the file as F32 with the same shape. Everything is checked
 * before any parameter changes, and the optimizer checks its own state before changing it; a
 * mismatch throws CheckpointError (or RecdError from the optimizer) naming the tensor.
 */
export async function loadCheckpoint(path: string, params: readonly Parameter[], optimizer?: Optimizer, options: LoadCheckpointOptions = {}): Promise<CheckpointMetadata> {
  const { tensors, metadata } = await loadSafetensors(path);
  const fail = (problem: string): never => {
    throw new CheckpointError(`${path}: ${problem}`);
  };
  if (metadata['recd.format'] !== FORMAT) fail(`not a recd checkpoint (metadata "recd.format" is ${JSON.stringify(metadata['recd.format'])}, expected "${FORMAT}")`);
  if (metadata['recd.version'] !== VERSION) fail(`checkpoint version ${JSON.stringify(metadata['recd.version'])} is not supported (expected "${VERSION}")`);

  const sources: Float32Array[] = [];
  const wanted = new Set<string>();
  for (const param of params) {
    const name = PARAMETER_PREFIX + param.name;
    wanted.add(name);
    const tensor = tensors[name];
    if (tensor === undefined) fail(`missing tensor "${name}" for parameter "${param.name}"`);
    if (tensor.dtype !== 'F32') fail(`tensor "${name}": expected dtype F32, got ${tensor.dtype}`);
    if (!sameShape(tensor.shape, param.shape)) fail(`tensor "${name}": expected shape [${param.shape.join(', ')}], got [${tensor.shape.join(', ')}]`);
    sources.push(tensor.data as Float32Array);
  }
  const optimizerState: OptimizerState = {};
  for (const [name, tensor] of Object.entries(tensors)) {
    if (name.startsWith(OPTIMIZER_PREFIX)) {
      if (tensor.dtype !== 'F32') fail(`tensor "${name}": optimizer state must be F32, got ${tensor.dtype}`);
      optimizerState[name.slice(OPTIMIZER_PREFIX.length)] = tensor.data as Float32Array;
    } else if ((options.strict ?? true) && !wanted.has(name)) {
      fail(`unexpected tensor "${name}" matches no parameter (pass { strict: false } to ignore it)`);
    }
  }

  const restored = { step: readCount(metadata.step, 'step', fail), epoch: readCount(metadata.epoch, 'epoch', fail), config: readConfig(metadata.config, fail) };
  optimizer?.loadState(optimizerState, params);
  params.forEach((param, i) => param.value.set(sources[i]));
  return restored;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((dim, i) => dim === b[i]);
}

function checkCount(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new CheckpointError(`saveCheckpoint: ${what} must be an integer >= 0, got ${value}`);
}

function readCount(text: string | undefined, what: string, fail: (problem: string) => never): number {
  const value = Number(text);
  if (text === undefined || !/^\d+$/.test(text) || !Number.isSafeInteger(value)) fail(`metadata "${what}" must be an integer, got ${JSON.stringify(text)}`);
  return value;
}

function readConfig(text: string | undefined, fail: (problem: string) => never): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) ?? undefined;
  } catch (error) {
    return fail(`metadata "config" is not JSON (${(error as Error).message})`);
  }
}
