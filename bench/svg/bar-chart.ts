/** A grouped bar chart panel: per group (an x category) one bar per series, value written on each bar. */
import { element, Markup } from './xml';
import { Box, PALETTE, label, legend, textWidth, valueAxis, wrapText } from './parts';
import { formatQuantity, linearScale, niceTicks } from './scale';

export interface BarGroup {
  label: string;
  /** One value per series, in `series` order; `undefined` leaves the slot empty (not measured). */
  values: readonly (number | undefined)[];
  /** Colours this group's bars instead of the series colours (one system per group, say). */
  color?: string;
}

export interface BarChartSpec {
  type: 'bar';
  title: string;
  yLabel: string;
  series: readonly { name: string; color?: string }[];
  groups: readonly BarGroup[];
  /** The number written above each bar; default `formatQuantity`. */
  formatValue?: (value: number) => string;
}

export function barChart(spec: BarChartSpec, box: Box): Markup {
  const colors = spec.series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]);
  const key = spec.series.length > 1 && spec.groups.every((group) => group.color === undefined) ? legend(box.x + 8, box.y + 38, box.width - 16, spec.series.map((s, i) => ({ name: s.name, color: colors[i] }))) : undefined;
  const top = box.y + 38 + (key ? key.height + 6 : 0);
  const plot: Box = { x: box.x + 64, y: top, width: box.width - 84, height: box.y + box.height - 60 - top };
  const format = spec.formatValue ?? formatQuantity;

  const values = spec.groups.flatMap((g) => g.values.filter((v): v is number => v !== undefined));
  const ticks = niceTicks(Math.max(0, ...values));
  const y = linearScale([ticks[0], ticks[ticks.length - 1]], [plot.y + plot.height, plot.y]);
  const slot = plot.width / Math.max(1, spec.groups.length);
  const barWidth = Math.min(36, (slot * 0.8) / Math.max(1, spec.series.length));
  const maxChars = Math.max(6, Math.floor(slot / 6.2));

  return element(
    'g',
    { class: 'bar-chart' },
    label(box.x + box.width / 2, box.y + 18, spec.title, { anchor: 'middle', size: 14, weight: '600' }),
    key?.markup,
    valueAxis(plot, ticks, y, spec.yLabel),
    spec.groups.map((group, g) => {
      const center = plot.x + slot * (g + 0.5);
      const left = center - (barWidth * spec.series.length) / 2;
      return element(
        'g',
        { class: 'bar-group' },
        group.values.map((value, s) => {
          if (value === undefined) return undefined;
          const x = left + s * barWidth;
          const height = y(0) - y(value);
          return element(
            'g',
            {},
            element('rect', { x: x + 1, y: y(value), width: barWidth - 2, height: Math.max(0, height), fill: group.color ?? colors[s] }, element('title', {}, `${spec.series[s].name}, ${group.label}: ${format(value)}`)),
            // shrunk to the bar's width so the values of neighbouring bars never run together
            label(x + barWidth / 2, y(value) - 4, format(value), { anchor: 'middle', size: valueSize(format(value), barWidth), color: '#333333' }),
          );
        }),
        wrapText(group.label, maxChars).map((line, i) => label(center, plot.y + plot.height + 16 + i * 13, line, { anchor: 'middle', size: 11, color: '#444444' })),
      );
    }),
  );
}

/** The font size of a bar's value: 10 px, or less when the text would be wider than the bar. */
function valueSize(text: string, barWidth: number): number {
  return Math.max(6, Math.min(10, (barWidth - 1) / Math.max(1, textWidth(text, 1))));
}
