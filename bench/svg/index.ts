export { escapeXml, element, svgDocument, Markup, formatCoordinate } from './xml';
export { niceTicks, niceTicksBetween, formatQuantity, formatPowerOfTen, linearScale, log2Scale, log10Scale, logTicks } from './scale';
export { renderFigure } from './figure';
export type { FigureSpec, PanelSpec } from './figure';
export type { LineChartSpec, LineSeries } from './line-chart';
export type { BarChartSpec, BarGroup } from './bar-chart';
