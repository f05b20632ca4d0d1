import { InvalidArgumentError } from 'commander';

/** Option parsers shared by the commands; a bad value is a usage error (exit 2). */
export function positiveInt(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`expected a positive integer, got "${text}"`);
  return value;
}

export function nonNegativeInt(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError(`expected a non-negative integer, got "${text}"`);
  return value;
}

export function positiveNumber(text: string): number {
  const value = Number(text);
  if (!(Number.isFinite(value) && value > 0)) throw new InvalidArgumentError(`expected a positive number, got "${text}"`);
  return value;
}

export function nonNegativeNumber(text: string): number {
  const value = Number(text);
  if (!(Number.isFinite(value) && value >= 0)) throw new InvalidArgumentError(`expected a non-negative number, got "${text}"`);
  return value;
}

export function intList(text: string): number[] {
  return text.split(',').map((part) => positiveInt(part.trim()));
}

export function oneOf<T extends string>(allowed: readonly T[]): (text: string) => T {
  return (text: string) => {
    if (!allowed.includes(text as T)) throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}, got "${text}"`);
    return text as T;
  };
}

/** `i/N`: shard i (0-based) of N. */
export function shardSpec(text: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index >= count) throw new InvalidArgumentError(`expected i/N with 0 <= i < N, got "${text}"`);
  return { index, count };
}

/** Appends repeated option values into a list (`--input a --input b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
