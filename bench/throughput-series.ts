/**
 * Samples/s against samples per session, found in saved results by field name rather than by a
 * fixed schema, so a peer added later (PyTorch beside recd's trainer) shows up in the charts with
 * no change here. The convention:
 *
 * - any array in a result's `data` whose entries have a numeric `samplesPerSession` is a table of
 *   measurements; in each entry every finite number field named `<path>SamplesPerSecond` is one
 *   point of the series `<path>` (`kjtSamplesPerSecond` -> series `kjt`);
 * - `<path>` (or the array's name, or the benchmark's name) containing `torch` marks PyTorch, else
 *   the series is recd's; `ikjt` / `dedupOn` / `on` mean dedup on, `kjt` / `dedupOff` / `off` dedup off.
 */
import { numberField, objectsField } from './result-fields';

export interface ThroughputSeries {
  /** Who measured: `recd`, `PyTorch` or the field path as found. */
  system: string;
  /** Dedup on (IKJT), off (KJT), or not said. */
  dedup: 'on' | 'off' | undefined;
  /** The field path it came from (`results.ikjtSamplesPerSecond`), to tell series apart. */
  source: string;
  points: { x: number; y: number }[];
}

export function throughputSeries(benchmarkName: string, data: unknown): ThroughputSeries[] {
  const found = new Map<string, ThroughputSeries>();
  if (data === null || typeof data !== 'object') return [];
  for (const [arrayName, value] of Object.entries(data as Record<string, unknown>)) {
    if (!Array.isArray(value)) continue;
    for (const entry of objectsField(value)) {
      const x = numberField(entry, 'samplesPerSession');
      if (x === undefined || x <= 0) continue;
      for (const [key, y] of Object.entries(entry)) {
        const match = /^(.+)SamplesPerSecond$/.exec(key);
        if (!match || typeof y !== 'number' || !Number.isFinite(y)) continue;
        const source = `${arrayName}.${key}`;
        let series = found.get(source);
        if (!series) {
          series = { system: systemOf(benchmarkName, arrayName, match[1]), dedup: dedupOf(match[1]), source, points: [] };
          found.set(source, series);
        }
        series.points.push({ x, y });
      }
    }
  }
  for (const series of found.values()) series.points.sort((a, b) => a.x - b.x);
  return [...found.values()];
}

function systemOf(benchmarkName: string, arrayName: string, path: string): string {
  if ([benchmarkName, arrayName, path].some((name) => /torch/i.test(name))) return 'PyTorch';
  if (arrayName === 'results' || arrayName === 'configs') return 'recd';
  return arrayName;
}

function dedupOf(path: string): 'on' | 'off' | undefined {
  if (/ikjt/i.test(path) || /(^on|On)$/.test(path)) return 'on';
  if (/kjt/i.test(path) || /(^off|Off)$/.test(path)) return 'off';
  return undefined;
}

/** A readable legend name: `recd, dedup on (IKJT)`. */
export function seriesName(series: ThroughputSeries): string {
  const kind = series.dedup === 'on' ? 'dedup on (IKJT)' : series.dedup === 'off' ? 'dedup off (KJT)' : series.source;
  return `${series.system}, ${kind}`;
}

/** Dedup on over dedup off, per samples per session, for each system that has both. */
export function speedupSeries(series: readonly ThroughputSeries[]): { system: string; points: { x: number; y: number }[] }[] {
  const systems = [...new Set(series.map((s) => s.system))];
  const out: { system: string; points: { x: number; y: number }[] }[] = [];
  for (const system of systems) {
    const on = series.find((s) => s.system === system && s.dedup === 'on');
    const off = series.find((s) => s.system === system && s.dedup === 'off');
    if (!on || !off) continue;
    const points = on.points.flatMap((p) => {
      const other = off.points.find((q) => q.x === p.x);
      return other && other.y > 0 ? [{ x: p.x, y: p.y / other.y }] : [];
    });
    if (points.length > 0) out.push({ system, points });
  }
  return out;
}

