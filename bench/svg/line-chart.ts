/**
 * A line chart panel: y against x for a few series, points marked. The y axis starts at 0 unless
 * asked to fit the data or to be logarithmic.
 */
import { element, Markup } from './xml';
import { Box, PALETTE, label, legend, valueAxis } from './parts';
import { formatPowerOfTen, formatQuantity, linearScale, log10Scale, log2Scale, logTicks, niceTicks, niceTicksBetween } from './scale';

export interface LineSeries {
  name: string;
  points: readonly { x: number; y: number }[];
  /** Defaults to the palette colour of the series' index. */
  color?: string;
  dashed?: boolean;
}

export interface LineChartSpec {
  type: 'line';
  title: string;
  xLabel: string;
  yLabel: string;
  series: readonly LineSeries[];
  /** `log2` spaces 1, 2, 4, 8, 16 evenly (x must be > 0). Default `linear`. */
  xScale?: 'linear' | 'log2';
  /**
   * `zero` (default): linear from 0, so heights compare honestly. `fit`: linear over the data's
   * range (a metric like AUC, where 0 means nothing). `log10`: powers of ten; points with y <= 0
   * cannot be drawn and are left out (say so in the title).
   */
  yScale?: 'zero' | 'fit' | 'log10';
  /** Tick positions on x; default every x a point has (or round values when there are many). */
  xTicks?: readonly number[];
  /** Dotted horizontal lines with a label (a published number to compare with). */
  references?: readonly { y: number; label: string }[];
}

export function lineChart(spec: LineChartSpec, box: Box): Markup {
  const drawable = (p: { y: number }): boolean => spec.yScale !== 'log10' || p.y > 0;
  const series = spec.series.map((s) => ({ ...s, points: s.points.filter(drawable) })).filter((s) => s.points.length > 0);
  const entries = series.map((s, i) => ({ name: s.name, color: s.color ?? PALETTE[i % PALETTE.length], line: { dashed: s.dashed ?? false } }));
  const key = legend(box.x + 8, box.y + 38, box.width - 16, entries);
  const plot: Box = { x: box.x + 64, y: box.y + 38 + key.height + 6, width: box.width - 84, height: 0 };
  plot.height = box.y + box.height - 46 - plot.y;

  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const xTicks = spec.xTicks ?? (xs.length > MAX_X_LABELS && spec.xScale !== 'log2' ? niceTicksBetween(xs[0], xs[xs.length - 1], 8).filter((tick) => tick >= xs[0] && tick <= xs[xs.length - 1]) : xs);
  const xDomain: [number, number] = xs.length > 0 ? [Math.min(xs[0], ...xTicks), Math.max(xs[xs.length - 1], ...xTicks)] : [0, 1];
  const xRange: [number, number] = [plot.x + 16, plot.x + plot.width - 16];
  const x = spec.xScale === 'log2' ? log2Scale(xDomain, xRange) : linearScale(xDomain, xRange);
  const references = spec.references ?? [];
  const yValues = [...series.flatMap((s) => s.points.map((p) => p.y)), ...references.map((r) => r.y)];
  const yTicks = valueTicks(spec.yScale ?? 'zero', yValues);
  const yRange: [number, number] = [plot.y + plot.height, plot.y];
  const yDomain: [number, number] = [yTicks[0], yTicks[yTicks.length - 1]];
  const y = spec.yScale === 'log10' ? log10Scale(yDomain, yRange) : linearScale(yDomain, yRange);

  return element(
    'g',
    { class: 'line-chart' },
    label(box.x + box.width / 2, box.y + 18, spec.title, { anchor: 'middle', size: 14, weight: '600' }),
    key.markup,
    valueAxis(plot, yTicks, y, spec.yLabel, spec.yScale === 'log10' ? formatPowerOfTen : formatQuantity),
    xTicks.map((tick) => label(x(tick), plot.y + plot.height + 16, formatQuantity(tick), { anchor: 'middle', size: 11, color: '#444444' })),
    label(plot.x + plot.width / 2, plot.y + plot.height + 36, spec.xLabel, { anchor: 'middle', color: '#444444' }),
    references.map((reference) =>
      element(
        'g',
        { class: 'reference' },
        element('line', { x1: plot.x, x2: plot.x + plot.width, y1: y(reference.y), y2: y(reference.y), stroke: '#777777', 'stroke-width': 1.5, 'stroke-dasharray': '2 3' }),
        label(plot.x + plot.width - 4, y(reference.y) - 5, reference.label, { anchor: 'end', size: 11, color: '#555555' }),
      ),
    ),
    series.map((s, i) =>
      element(
        'g',
        { class: 'series' },
        element('polyline', {
          points: s.points.map((p) => `${round(x(p.x))},${round(y(p.y))}`).join(' '),
          fill: 'none',
          stroke: entries[i].color,
          'stroke-width': 2.5,
          'stroke-dasharray': s.dashed ? '6 4' : undefined,
        }),
        s.points.map((p) => element('circle', { cx: x(p.x), cy: y(p.y), r: s.points.length > MAX_X_LABELS ? 1.5 : 3.5, fill: entries[i].color }, element('title', {}, `${s.name}: ${formatQuantity(p.y)} at ${formatQuantity(p.x)}`))),
      ),
    ),
  );
}

/** Beyond this many distinct x values, the x axis gets round ticks and the points smaller marks. */
const MAX_X_LABELS = 16;

function valueTicks(scale: 'zero' | 'fit' | 'log10', values: readonly number[]): number[] {
  if (scale === 'log10') {
    const positive = values.filter((v) => v > 0);
    return positive.length === 0 ? [1, 10] : logTicks(Math.min(...positive), Math.max(...positive));
  }
  if (scale === 'fit' && values.length > 0) return niceTicksBetween(Math.min(...values), Math.max(...values));
  return niceTicks(Math.max(0, ...values));
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
