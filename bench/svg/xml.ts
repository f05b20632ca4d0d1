/**
 * The XML needed to write SVG by hand: escaping and one element builder. Attribute values and
 * text are always escaped here, so a label like `a < b & "c"` can never break the document.
 */

/** Text or an attribute value with `& < > " '` replaced by entities. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export type Attributes = Record<string, string | number | undefined>;

/** A child is markup made by `element` (trusted) or plain text (escaped); `false`/`undefined` skip. */
export type Child = Markup | string | number | false | undefined;

/** Already-serialized markup: made only by `element` or `raw`, so strings are never double-escaped. */
export class Markup {
  constructor(readonly text: string) {}
}

/** Elements whose children are other elements only: whitespace between them is not rendered. */
const CONTAINERS = new Set(['svg', 'g']);

/** `<name a="1">children</name>`, or `<name a="1"/>` with no children. Numbers are rounded to 0.01. */
export function element(name: string, attributes: Attributes = {}, ...children: (Child | Child[])[]): Markup {
  const attributeText = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXml(typeof value === 'number' ? formatCoordinate(value) : value)}"`)
    .join('');
  const body = children
    .flat()
    .map((child) => (child instanceof Markup ? child.text : child === false || child === undefined ? '' : escapeXml(String(child))))
    .filter((text) => text !== '')
    // containers get one child per line, so a changed number shows as a small diff
    .join(CONTAINERS.has(name) ? '\n' : '');
  return new Markup(body === '' ? `<${name}${attributeText}/>` : `<${name}${attributeText}>${body}</${name}>`);
}

/** A coordinate with at most two decimals and no trailing zeros (`12.5`, `3`, `-0.25`). */
export function formatCoordinate(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`SVG coordinate must be finite, got ${value}`);
  const rounded = Math.round(value * 100) / 100;
  return String(Object.is(rounded, -0) ? 0 : rounded);
}

/** A whole SVG document (with the XML declaration) around `content`. */
export function svgDocument(width: number, height: number, title: string, ...content: (Child | Child[])[]): string {
  const root = element(
    'svg',
    { xmlns: 'http://www.w3.org/2000/svg', width, height, viewBox: `0 0 ${formatCoordinate(width)} ${formatCoordinate(height)}`, role: 'img', 'font-family': 'system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif' },
    element('title', {}, title),
    element('rect', { width, height, fill: '#ffffff' }),
    ...content,
  );
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root.text}\n`;
}
