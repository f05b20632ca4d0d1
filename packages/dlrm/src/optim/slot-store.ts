import { RecdError } from '@recd/core';
import type { Parameter } from '../parameter';
import type { OptimizerState } from './optimizer';
import { decodeStepCount, encodeStepCount } from './step-count';

/** One kind of per-parameter state (Adam's `exp_avg`, Adagrad's `sum`, ...). */
export interface SlotSpec {
  readonly name: string;
  /** Values this slot holds for a parameter. */
  length(param: Parameter): number;
  readonly initialValue?: number;
}

/**
 * The state every optimizer here keeps: a step count and, per parameter and slot, a float32
 * buffer allocated on first use. Keys are `<prefix>.step` and `<prefix>.<slot>.<param name>`.
 */
export class SlotStore {
  stepCount = 0;
  #buffers = new Map<string, Float32Array>();

  constructor(
    readonly prefix: string,
    readonly slots: readonly SlotSpec[],
  ) {}

  /** The slot's buffer for this parameter, allocated (and filled with `initialValue`) on first use. */
  buffer(slot: SlotSpec, param: Parameter): Float32Array {
    const key = this.#key(slot, param);
    const expected = slot.length(param);
    let buffer = this.#buffers.get(key);
    if (buffer === undefined) {
      buffer = new Float32Array(expected);
      if (slot.initialValue) buffer.fill(slot.initialValue);
      this.#buffers.set(key, buffer);
    } else if (buffer.length !== expected) {
      throw new RecdError(`optimizer state "${key}" has ${buffer.length} values but parameter "${param.name}" needs ${expected}: was the parameter resized?`);
    }
    return buffer;
  }

  state(): OptimizerState {
    const state: OptimizerState = { [`${this.prefix}.step`]: encodeStepCount(this.stepCount) };
    for (const [key, buffer] of this.#buffers) state[key] = buffer;
    return state;
  }

  /**
   * Validates `state` against `params`, then replaces this store's contents with copies. A slot may
   * be absent only when the saved step count is 0 (state is allocated lazily on the first step).
   */
  load(state: OptimizerState, params: readonly Parameter[]): void {
    const stepKey = `${this.prefix}.step`;
    const encodedStep = state[stepKey];
    if (encodedStep === undefined) throw new RecdError(`optimizer state: missing "${stepKey}" (keys found: ${describeKeys(state)})`);
    const stepCount = decodeStepCount(encodedStep, stepKey);
    const next = new Map<string, Float32Array>();
    const expectedKeys = new Set([stepKey]);
    for (const param of params) {
      for (const slot of this.slots) {
        const key = this.#key(slot, param);
        expectedKeys.add(key);
        const saved = state[key];
        const expected = slot.length(param);
        if (saved === undefined) {
          if (stepCount > 0) throw new RecdError(`optimizer state: missing "${key}" for parameter "${param.name}" after ${stepCount} steps`);
          continue;
        }
        if (saved.length !== expected) {
          throw new RecdError(`optimizer state "${key}": expected ${expected} values for parameter "${param.name}" (shape [${param.shape.join(', ')}]), got ${saved.length}`);
        }
        next.set(key, new Float32Array(saved));
      }
    }
    for (const key of Object.keys(state)) {
      if (key.startsWith(`${this.prefix}.`) && !expectedKeys.has(key)) {
        throw new RecdError(`optimizer state: unexpected entry "${key}" (no such parameter or slot among the ${params.length} parameters given)`);
      }
    }
    this.#buffers = next;
    this.stepCount = stepCount;
  }

  #key(slot: SlotSpec, param: Parameter): string {
    return `${this.prefix}.${slot.name}.${param.name}`;
  }
}

function describeKeys(state: OptimizerState): string {
  const keys = Object.keys(state);
  if (keys.length === 0) return 'none';
  const shown = keys.slice(0, 5).map((key) => `"${key}"`).join(', ');
  return keys.length > 5 ? `${shown}, ... (${keys.length} in all)` : shown;
}
