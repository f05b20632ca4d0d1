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
