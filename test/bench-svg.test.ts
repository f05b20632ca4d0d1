import { escapeXml, element, formatPowerOfTen, formatQuantity, logTicks, niceTicks, niceTicksBetween, renderFigure, svgDocument } from '../bench/svg';
import { wrapText } from '../bench/svg/parts';
import { xmlProblems } from './support/xml-well-formed';

/** Every text node of an SVG document, entities decoded. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&'));
}

describe('the XML checker used below', () => {
  it('accepts well-formed documents and names what is wrong in broken ones', () => {
    expect(xmlProblems('<?xml version="1.0"?>\n<a x="1"><b/>t &amp; u</a>\n')).toEqual([]);
    expect(xmlProblems('<a><b></a>')).not.toEqual([]);
    expect(xmlProblems('<a x=1/>')[0]).toMatch(/attribute syntax/);
    expect(xmlProblems('<a>x & y</a>')[0]).toMatch(/bad entity/);
    expect(xmlProblems('<a x="1" x="2"/>')[0]).toMatch(/duplicate/);
    expect(xmlProblems('<a/><b/>')[0]).toMatch(/one root/);
  });
});

describe('escapeXml and element', () => {
  it('escapes the five XML specials in text and attributes, once', () => {
    expect(escapeXml(`a < b & "c" > 'd'`)).toBe('a &lt; b &amp; &quot;c&quot; &gt; &apos;d&apos;');
    const markup = element('text', { 'data-name': 'x"<y>&' }, 'Map<string> & co', element('tspan', {}, '<b>'));
    expect(markup.text).toBe('<text data-name="x&quot;&lt;y&gt;&amp;">Map&lt;string&gt; &amp; co<tspan>&lt;b&gt;</tspan></text>');
    expect(xmlProblems(markup.text)).toEqual([]);
  });

  it('rounds numeric attributes, skips undefined ones, self-closes empty elements', () => {
    expect(element('circle', { cx: 1.23456, cy: -0.001, r: 3, fill: undefined }).text).toBe('<circle cx="1.23" cy="0" r="3"/>');
    expect(() => element('circle', { cx: NaN })).toThrow(/finite/);
  });

  it('svgDocument is a standalone SVG with a title', () => {
    const svg = svgDocument(100, 50, 'a & b');
    expect(xmlProblems(svg)).toEqual([]);
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="100" height="50" viewBox="0 0 100 50"/);
    expect(svg).toContain('<title>a &amp; b</title>');
  });
});

describe('ticks, numbers and wrapping', () => {
  it('niceTicks starts at 0, steps by 1, 2 or 5 times a power of ten and covers the maximum', () => {
    expect(niceTicks(14_150)).toEqual([0, 5000, 10000, 15000]);
    expect(niceTicks(5.58)).toEqual([0, 2, 4, 6]);
    expect(niceTicks(0)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    for (const max of [0.37, 3, 75.2, 999, 1001, 2.9e6, 4.7e6]) {
      const ticks = niceTicks(max);
      const step = ticks[1] - ticks[0];
      const mantissa = step / 10 ** Math.floor(Math.log10(step));
      expect([1, 2, 5]).toContainEqual(Number(mantissa.toPrecision(6)));
      expect(ticks[0]).toBe(0);
      expect(ticks[ticks.length - 1]).toBeGreaterThanOrEqual(max);
      expect(ticks[ticks.length - 2]).toBeLessThan(max);
      expect(ticks.length).toBeLessThanOrEqual(11);
    }
  });

  it('logTicks gives the powers of ten around the data, formatPowerOfTen writes them short', () => {
    expect(logTicks(3e-8, 2e-3)).toEqual([1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2]);
    expect(logTicks(1e-5, 1e-3)).toEqual([1e-5, 1e-4, 1e-3]);
    expect(logTicks(5, 5)).toEqual([1, 10]);
    expect(() => logTicks(0, 1)).toThrow(/positive/);
    expect([1e-12, 1e-5, 1e-3, 0.01, 1, 1000, 1e6].map(formatPowerOfTen)).toEqual(['1e-12', '1e-5', '1e-3', '0.01', '1', '1000', '1e6']);
  });

  it('niceTicksBetween covers [min, max] with round steps, not from 0', () => {
    expect(niceTicksBetween(0.667, 0.6875)).toEqual([0.665, 0.67, 0.675, 0.68, 0.685, 0.69]);
    expect(niceTicksBetween(1, 100, 8)).toEqual([0, 20, 40, 60, 80, 100]);
    const flat = niceTicksBetween(0.5, 0.5);
    expect(flat[0]).toBeLessThanOrEqual(0.5);
    expect(flat[flat.length - 1]).toBeGreaterThanOrEqual(0.5);
  });

  it('formatQuantity gives three significant digits and an SI suffix', () => {
    expect([0, 7.04, 750, 2500, 95_948.9, 1_099_490, 4.72e6, 2e9].map(formatQuantity)).toEqual(['0', '7.04', '750', '2.5k', '95.9k', '1.1M', '4.72M', '2G']);
  });

  it('wrapText breaks at spaces and inside long hyphenated words, never losing a character', () => {
    expect(wrapText('synthetic 100k concurrent', 10)).toEqual(['synthetic', '100k', 'concurrent']);
    expect(wrapText('ml-latest-small', 8)).toEqual(['ml-', 'latest-', 'small']);
    expect(wrapText('a b c', 3)).toEqual(['a b', 'c']);
    expect(wrapText('', 5)).toEqual(['']);
    const label = 'diginetica-sample and some other words';
    expect(wrapText(label, 9).join(' ').replace(/- /g, '-')).toBe(label);
  });
});

describe('renderFigure', () => {
  const figure = renderFigure({
    title: 'Loader <fast> & "honest"',
    footnote: 'npm run bench -- loader',
    panels: [
      {
        type: 'line',
        title: 'from Parquet',
        xLabel: 'samples per session',
        yLabel: 'samples/s',
        xScale: 'log2',
        series: [
          { name: 'dedup on (IKJT)', points: [{ x: 1, y: 270e3 }, { x: 4, y: 226e3 }, { x: 16, y: 318e3 }] },
          { name: 'dedup off (KJT)', dashed: true, points: [{ x: 1, y: 284e3 }, { x: 4, y: 242e3 }, { x: 16, y: 286e3 }] },
          { name: 'never measured', points: [] },
        ],
        references: [{ y: 300e3, label: 'paper' }],
      },
      {
        type: 'bar',
        title: 'bytes',
        yLabel: 'bytes per sample',
        series: [{ name: 'time order' }, { name: 'session order' }],
        groups: [
          { label: 'zstd', values: [61.4, 30.2] },
          { label: 'Map<string>', values: [77.7, undefined] },
        ],
      },
    ],
  });

  it('is well-formed XML', () => {
    expect(xmlProblems(figure)).toEqual([]);
  });

  it('has the titles, axis labels, tick labels and legend entries as text, escaped', () => {
    const all = texts(figure);
    expect(all).toEqual(expect.arrayContaining(['Loader <fast> & "honest"', 'from Parquet', 'bytes', 'samples per session', 'samples/s', 'bytes per sample']));
    expect(all).toEqual(expect.arrayContaining(['dedup on (IKJT)', 'dedup off (KJT)', 'time order', 'session order', 'paper', 'npm run bench -- loader']));
    expect(all).toEqual(expect.arrayContaining(['1', '4', '16', '0', '100k', '200k', '300k', 'zstd', 'Map<string>']));
    expect(all).toEqual(expect.arrayContaining(['61.4', '30.2', '77.7']));
    expect(figure).toContain('<title>Loader &lt;fast&gt; &amp; &quot;honest&quot;</title>');
    expect(all).not.toContain('never measured');
  });

  it('draws one line per measured series (dashed where asked) and one bar per measured value', () => {
    const polylines = [...figure.matchAll(/<polyline [^>]*\/>/g)].map((m) => m[0]);
    expect(polylines).toHaveLength(2);
    expect(polylines[0]).not.toContain('stroke-dasharray');
    expect(polylines[1]).toContain('stroke-dasharray');
    expect(polylines[0].match(/points="([^"]*)"/)?.[1].split(' ')).toHaveLength(3);
    expect([...figure.matchAll(/<g class="bar-group">/g)]).toHaveLength(2);
    expect([...figure.matchAll(/<rect [^>]*><title>/g)]).toHaveLength(3); // the slot with no value stays empty
  });

  it('puts higher values higher up (SVG y grows downward)', () => {
    const points = figure.match(/<polyline points="([^"]*)"/)![1].split(' ').map((p) => p.split(',').map(Number));
    // 270k at x=1, 226k at x=4, 318k at x=16: x increases, y is smallest for the largest value
    expect(points[0][0]).toBeLessThan(points[1][0]);
    expect(points[1][0]).toBeLessThan(points[2][0]);
    expect(points[2][1]).toBeLessThan(points[0][1]);
    expect(points[0][1]).toBeLessThan(points[1][1]);
    // log2 x: 1 -> 4 is two steps, 4 -> 16 two more: equal spacing
    expect(points[1][0] - points[0][0]).toBeCloseTo(points[2][0] - points[1][0], 1);
  });
});

describe('line chart y scales', () => {
  const panel = (yScale: 'zero' | 'fit' | 'log10', ys: number[]) =>
    renderFigure({ title: 't', panels: [{ type: 'line', title: 'p', xLabel: 'x', yLabel: 'y', yScale, series: [{ name: 's', points: ys.map((y, i) => ({ x: i + 1, y })) }] }] });
  const yOf = (svg: string) => svg.match(/<polyline points="([^"]*)"/)![1].split(' ').map((p) => Number(p.split(',')[1]));

  it('log10 spaces decades evenly, labels powers of ten and leaves out points at or below 0', () => {
    const svg = panel('log10', [0, 1e-9, 1e-7, 1e-5]);
    expect(xmlProblems(svg)).toEqual([]);
    const ys = yOf(svg);
    expect(ys).toHaveLength(3);
    expect(ys[0] - ys[1]).toBeCloseTo(ys[1] - ys[2], 1);
    expect(texts(svg)).toEqual(expect.arrayContaining(['1e-9', '1e-8', '1e-7', '1e-6', '1e-5']));
  });

  it('fit starts the axis near the data, zero at 0', () => {
    expect(texts(panel('fit', [0.66, 0.69]))).toEqual(expect.arrayContaining(['0.66', '0.69']));
    expect(texts(panel('fit', [0.66, 0.69]))).not.toContain('0');
    expect(texts(panel('zero', [0.66, 0.69]))).toContain('0');
  });

  it('gives many x values round ticks instead of one label each', () => {
    const svg = panel('zero', Array.from({ length: 100 }, (_, i) => i));
    const labels = texts(svg).filter((t) => /^\d+$/.test(t)).map(Number);
    expect(labels).toEqual(expect.arrayContaining([20, 40, 60, 80, 100]));
    expect(labels).not.toContain(37);
  });
});

describe('bar values', () => {
  it('shrink to the width of a narrow bar so neighbours never overlap', () => {
    const bars = (groups: number) =>
      renderFigure({ title: 't', panels: [{ type: 'bar', title: 'p', yLabel: 'y', series: ['a', 'b', 'c', 'd'].map((name) => ({ name })), groups: Array.from({ length: groups }, (_, i) => ({ label: `g${i}`, values: [7.7, 7.0, 6.3, 22] })) }] });
    const sizes = (svg: string) => [...svg.matchAll(/<text [^>]*font-size="([\d.]+)"[^>]*>7\.7<\/text>/g)].map((m) => Number(m[1]));
    expect(sizes(bars(1))).toEqual([10]);
    const narrow = sizes(bars(5));
    expect(narrow.length).toBe(5);
    for (const size of narrow) expect(size).toBeLessThan(10);
  });
});
