/** Axis scales and tick values for the charts. */

/** Maps a value of the domain to a pixel coordinate. */
export type Scale = (value: number) => number;

export function linearScale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  return (value) => r0 + ((value - d0) / span) * (r1 - r0);
}

/** Log base 2 (samples per session 1, 2, 4, 8, 16 come out evenly spaced). Domain values must be > 0. */
export function log2Scale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const inner = linearScale([Math.log2(domain[0]), Math.log2(domain[1])], range);
  return (value) => inner(Math.log2(value));
}

/** Log base 10 (a relative difference of 1e-9 to 1e-3 spread evenly). Domain values must be > 0. */
export function log10Scale(domain: readonly [number, number], range: readonly [number, number]): Scale {
  const inner = linearScale([Math.log10(domain[0]), Math.log10(domain[1])], range);
  return (value) => inner(Math.log10(value));
}

/**
 * The powers of ten from the largest at or below `min` to the smallest at or above `max` (both
 * > 0), as ticks of a log10 axis: `logTicks(3e-8, 2e-3)` is 1e-8, 1e-7, ..., 1e-2.
 */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > 0)) throw new RangeError(`log ticks need positive bounds, got ${min} and ${max}`);
  const low = Math.floor(Math.log10(Math.min(min, max)) + 1e-9);
  const high = Math.max(low + 1, Math.ceil(Math.log10(Math.max(min, max)) - 1e-9));
  const ticks: number[] = [];
  for (let exponent = low; exponent <= high; exponent++) ticks.push(Number(`1e${exponent}`));
  return ticks;
}

/** `1e-5`, `0.01`, `1`, `1000`: a power of ten as written on a log axis. */
export function formatPowerOfTen(value: number): string {
  const exponent = Math.round(Math.log10(value));
  return exponent >= -2 && exponent <= 3 ? String(Number(`1e${exponent}`)) : `1e${exponent}`;
}

/**
 * Round tick values (steps of 1, 2 or 5 times a power of ten) just covering [min, max], for an
 * axis that need not start at 0: AUC between 0.66 and 0.69, say, where 0 means nothing.
 */
export function niceTicksBetween(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return niceTicksBetween(min - (Math.abs(min) || 1) * 0.01, min + (Math.abs(min) || 1) * 0.01, count);
  const rough = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough) ?? 10 * power;
  const ticks: number[] = [];
  const first = Math.floor(min / step + 1e-9) * step;
  for (let i = 0; ; i++) {
    const tick = first + i * step;
    ticks.push(Number(tick.toPrecision(12)));
    if (tick >= max - step * 1e-9) break;
  }
  return ticks;
}

/**
 * About `count` round tick values (steps of 1, 2 or 5 times a power of ten) from 0 (or `min` when
 * it is below 0) to at least `max`. Axes of rates and sizes start at 0 so bar heights and line
 * heights compare honestly.
 */
export function niceTicks(max: number, count = 5, min = 0): number[] {
  const low = Math.min(0, min);
  const high = max > low ? max : low + 1;
  const rough = (high - low) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((candidate) => candidate >= rough) ?? 10 * power;
  const ticks: number[] = [];
  const first = Math.floor(low / step) * step;
  for (let i = 0; ; i++) {
    const tick = first + i * step;
    ticks.push(Number(tick.toPrecision(12)));
    if (tick >= high - step * 1e-9) break;
  }
  return ticks;
}

/** `0`, `750`, `2.5k`, `1.2M`: short labels for ticks and bar values. */
export function formatQuantity(value: number): string {
  const magnitude = Math.abs(value);
  const units: [number, string][] = [
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [scale, suffix] of units) if (magnitude >= scale) return `${trimNumber(value / scale)}${suffix}`;
  return trimNumber(value);
}

/** Three significant digits at most, no trailing zeros: 1.50 -> `1.5`, 120 -> `120`, 0.0123 -> `0.0123`. */
function trimNumber(value: number): string {
  if (value === 0) return '0';
  return String(Number(value.toPrecision(3)));
}
