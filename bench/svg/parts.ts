/** Pieces every chart panel shares: the palette, text, the value axis with its grid, and the legend. */
import { element, Markup } from './xml';
import { formatQuantity, Scale } from './scale';

/** Okabe–Ito colours: told apart with every common colour-vision deficiency. */
export const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#000000'];

export const FONT_SIZE = 12;
const AXIS_COLOR = '#444444';
const GRID_COLOR = '#e4e4e4';

/** The box a panel draws in, in pixels of the figure. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Roughly how wide `text` renders at `size` px in a sans-serif font (no layout engine here). */
export function textWidth(text: string, size = FONT_SIZE): number {
  return text.length * size * 0.56;
}

/**
 * Splits `text` at spaces (and after hyphens) into lines of at most `maxChars` characters; a longer
 * word stays whole.
 */
export function wrapText(text: string, maxChars: number): string[] {
  // pieces with the glue that joins each to the one before: a space between words, nothing
  // between the parts of a long hyphenated word
  const pieces = text
    .split(/\s+/)
    .filter(Boolean)
    .flatMap((word) => (word.length > maxChars ? word.split(/(?<=-)/) : [word]).map((piece, i) => ({ piece, glue: i === 0 ? ' ' : '' })));
  const lines: string[] = [];
  for (const { piece, glue } of pieces) {
    const last = lines.length - 1;
    if (last >= 0 && lines[last].length + glue.length + piece.length <= maxChars) lines[last] += glue + piece;
    else lines.push(piece);
  }
  return lines.length > 0 ? lines : [''];
}

export function label(x: number, y: number, text: string, options: { anchor?: 'start' | 'middle' | 'end'; size?: number; weight?: string; color?: string; rotate?: number } = {}): Markup {
  return element(
    'text',
    {
      x,
      y,
      'font-size': options.size ?? FONT_SIZE,
      'text-anchor': options.anchor ?? 'start',
      'font-weight': options.weight,
      fill: options.color ?? '#222222',
      transform: options.rotate === undefined ? undefined : `rotate(${options.rotate} ${x} ${y})`,
    },
    text,
  );
}

/** Horizontal grid lines with the value ticks on the left, and the axis title turned on its side. */
export function valueAxis(plot: Box, ticks: readonly number[], y: Scale, title: string, format: (value: number) => string = formatQuantity): Markup {
  return element(
    'g',
    { class: 'value-axis' },
    ticks.map((tick) =>
      element(
        'g',
        {},
        element('line', { x1: plot.x, x2: plot.x + plot.width, y1: y(tick), y2: y(tick), stroke: tick === 0 ? AXIS_COLOR : GRID_COLOR, 'stroke-width': 1 }),
        label(plot.x - 6, y(tick) + 4, format(tick), { anchor: 'end', size: 11, color: AXIS_COLOR }),
      ),
    ),
    label(plot.x - 48, plot.y + plot.height / 2, title, { anchor: 'middle', rotate: -90, color: AXIS_COLOR }),
  );
}

export interface LegendEntry {
  name: string;
  color: string;
  /** Drawn as a line (dashed or not) rather than a filled square. */
  line?: { dashed: boolean };
}

/** Legend entries flowing left to right from (x, y), wrapping at `width`; returns the markup and its height. */
export function legend(x: number, y: number, width: number, entries: readonly LegendEntry[]): { markup: Markup; height: number } {
  const rowHeight = 18;
  let cursorX = x;
  let cursorY = y;
  const items: Markup[] = [];
  for (const entry of entries) {
    const itemWidth = 22 + textWidth(entry.name, 11) + 14;
    if (cursorX > x && cursorX + itemWidth > x + width) {
      cursorX = x;
      cursorY += rowHeight;
    }
    const swatch = entry.line
      ? element('line', { x1: cursorX, x2: cursorX + 16, y1: cursorY - 4, y2: cursorY - 4, stroke: entry.color, 'stroke-width': 2.5, 'stroke-dasharray': entry.line.dashed ? '5 3' : undefined })
      : element('rect', { x: cursorX + 3, y: cursorY - 10, width: 10, height: 10, fill: entry.color });
    items.push(element('g', { class: 'legend-entry' }, swatch, label(cursorX + 22, cursorY, entry.name, { size: 11 })));
    cursorX += itemWidth;
  }
  return { markup: element('g', { class: 'legend' }, items), height: entries.length === 0 ? 0 : cursorY - y + rowHeight };
}
