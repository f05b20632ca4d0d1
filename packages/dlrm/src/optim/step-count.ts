import { RecdError } from '@recd/core';

const LOW = 2 ** 24;

/**
 * A step count as float32 state, exact up to 2^48: `[step mod 2^24, floor(step / 2^24)]`
 * (one float32 holds integers exactly only up to 2^24, about 16.7M steps).
 */
export function encodeStepCount(step: number): Float32Array {
  return Float32Array.of(step % LOW, Math.floor(step / LOW));
}

export function decodeStepCount(encoded: Float32Array, key: string): number {
  const [low, high] = encoded;
  const ok = encoded.length === 2 && Number.isInteger(low) && Number.isInteger(high) && low >= 0 && low < LOW && high >= 0;
  if (!ok) throw new RecdError(`optimizer state "${key}": expected [step mod 2^24, floor(step / 2^24)], got [${Array.from(encoded.subarray(0, 4)).join(', ')}${encoded.length > 4 ? ', ...' : ''}]`);
  return high * LOW + low;
}
