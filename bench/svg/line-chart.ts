/** A line chart panel: y against x for a few series, points marked, y from 0. */
import { element, Markup } from './xml';
import { Box, PALETTE, label, legend, valueAxis } from './parts';
import { formatQuantity, linearScale, log2Scale, niceTicks } from './scale';

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
  /** Tick positions on x; default every x a point has. */
  xTicks?: readonly number[];
  /** Dotted horizontal lines with a label (a published number to compare with). */
  references?: readonly { y: number; label: string }[];
}

export function lineChart(spec: LineChartSpec, box: Box): Markup {
  const series = spec.series.filter((s) => s.points.length > 0);
  const entries = series.map((s, i) => ({ name: s.name, color: s.color ?? PALETTE[i % PALETTE.length], line: { dashed: s.dashed ?? false } }));
  const key = legend(box.x + 8, box.y + 38, box.width - 16, entries);
  const plot: Box = { x: box.x + 64, y: box.y + 38 + key.height + 6, width: box.width - 84, height: 0 };
  plot.height = box.y + box.height - 46 - plot.y;

  const xs = [...new Set(series.flatMap((s) => s.points.map((p) => p.x)))].sort((a, b) => a - b);
  const xTicks = spec.xTicks ?? xs;
  const xDomain: [number, number] = xs.length > 0 ? [Math.min(xs[0], ...xTicks), Math.max(xs[xs.length - 1], ...xTicks)] : [0, 1];
  const xRange: [number, number] = [plot.x + 16, plot.x + plot.width - 16];
  const x = spec.xScale === 'log2' ? log2Scale(xDomain, xRange) : linearScale(xDomain, xRange);
  const references = spec.references ?? [];
  const yTicks = niceTicks(Math.max(0, ...series.flatMap((s) => s.points.map((p) => p.y)), ...references.map((r) => r.y)));
  const y = linearScale([yTicks[0], yTicks[yTicks.length - 1]], [plot.y + plot.height, plot.y]);

  return element(
    'g',
    { class: 'line-chart' },
    label(box.x + box.width / 2, box.y + 18, spec.title, { anchor: 'middle', size: 14, weight: '600' }),
    key.markup,
    valueAxis(plot, yTicks, y, spec.yLabel),
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
        s.points.map((p) => element('circle', { cx: x(p.x), cy: y(p.y), r: 3.5, fill: entries[i].color }, element('title', {}, `${s.name}: ${formatQuantity(p.y)} at ${formatQuantity(p.x)}`))),
      ),
    ),
  );
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
