import { RecdError } from '@recd/core';

/** The learning rate for the update with 0-based index `step`. */
export type LearningRateSchedule = (step: number) => number;

/** A fixed learning rate, or a schedule. */
export type LearningRate = number | LearningRateSchedule;

export function constantLearningRate(lr: number): LearningRateSchedule {
  checkRate(lr, 'learning rate');
  return () => lr;
}

/**
 * Linear warmup to `peak`, then constant: update `t` (0-based) uses `peak * min(1, (t + 1) / warmupSteps)`,
 * so the first update uses `peak / warmupSteps` and update `warmupSteps - 1` the full rate.
 */
export function linearWarmup(peak: number, warmupSteps: number): LearningRateSchedule {
  checkRate(peak, 'peak learning rate');
  if (!Number.isInteger(warmupSteps) || warmupSteps < 1) {
    throw new RecdError(`linearWarmup: warmupSteps must be an integer >= 1, got ${warmupSteps}`);
  }
  return (step) => (step + 1 >= warmupSteps ? peak : (peak * (step + 1)) / warmupSteps);
}

export function toSchedule(lr: LearningRate): LearningRateSchedule {
  return typeof lr === 'number' ? constantLearningRate(lr) : lr;
}

/** For denominators: `eps = 0` would turn a zero gradient into 0 / 0 = NaN. */
export function checkPositive(value: number, what: string): void {
  if (!Number.isFinite(value) || value <= 0) throw new RecdError(`${what} must be finite and > 0, got ${value}`);
}

export function checkRate(value: number, what: string): void {
  if (!Number.isFinite(value) || value < 0) throw new RecdError(`${what} must be finite and >= 0, got ${value}`);
}
