/** A figure: a title, panels side by side (line or bar charts), and a footnote, as one SVG document. */
import { barChart, BarChartSpec } from './bar-chart';
import { lineChart, LineChartSpec } from './line-chart';
import { label, textWidth, wrapText } from './parts';
import { svgDocument } from './xml';

export type PanelSpec = LineChartSpec | BarChartSpec;

export interface FigureSpec {
  title: string;
  panels: readonly PanelSpec[];
  /** Where the numbers come from (command, machine, date); wrapped under the panels. */
  footnote?: string;
  panelWidth?: number;
  panelHeight?: number;
}

const TITLE_HEIGHT = 34;

export function renderFigure(spec: FigureSpec): string {
  const panelWidth = spec.panelWidth ?? 460;
  const panelHeight = spec.panelHeight ?? 340;
  const width = Math.max(panelWidth * Math.max(1, spec.panels.length), Math.ceil(textWidth(spec.title, 16) * 1.1) + 24);
  const footnoteLines = spec.footnote ? wrapText(spec.footnote, Math.floor((width - 24) / 6)) : [];
  const height = TITLE_HEIGHT + panelHeight + (footnoteLines.length > 0 ? footnoteLines.length * 14 + 10 : 0);
  const panels = spec.panels.map((panel, i) => {
    const box = { x: i * panelWidth + (width - panelWidth * spec.panels.length) / 2, y: TITLE_HEIGHT, width: panelWidth, height: panelHeight };
    return panel.type === 'line' ? lineChart(panel, box) : barChart(panel, box);
  });
  return svgDocument(
    width,
    height,
    spec.title,
    label(12, 24, spec.title, { size: 16, weight: '700' }),
    panels,
    footnoteLines.map((line, i) => label(12, TITLE_HEIGHT + panelHeight + 14 + i * 14, line, { size: 10, color: '#666666' })),
  );
}
