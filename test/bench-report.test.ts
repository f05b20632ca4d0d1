import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadResults, SavedResult } from '../bench/report';
import { chartsFromResults } from '../bench/report-charts';
import { speedupSeries, throughputSeries } from '../bench/throughput-series';
import { writeReport } from '../bench/write-report';
import { xmlProblems } from './support/xml-well-formed';

const savedResults = loadResults(path.join(__dirname, '..', 'bench', 'results'));

function saved(name: string, data: unknown): SavedResult {
  return {
    name,
    command: `npm run bench -- ${name}`,
    date: '2026-11-26T10:00:00.000Z',
    repetitions: 3,
    machine: { cores: 2, cpuModel: 'test', node: 'v20.20.2', platform: 'linux', arch: 'x64', memoryGiB: 8, loadAverage: 1 },
    result: { title: name, description: '', tables: [], data },
  };
}

/** Every text node of an SVG, entities decoded. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1].replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
}

describe('charts from the saved results in bench/results', () => {
  const charts = chartsFromResults(savedResults);

  it('draws one well-formed chart per benchmark that has results', () => {
    const names = new Set(savedResults.map((s) => s.name));
    for (const name of ['storage', 'loader', 'train', 'datagen', 'csv', 'dedup'].filter((n) => names.has(n))) {
      expect(charts.map((c) => c.benchmark)).toContain(name);
    }
    for (const chart of charts) expect({ file: chart.file, problems: xmlProblems(chart.svg) }).toEqual({ file: chart.file, problems: [] });
  });

  it('labels the storage chart by order and codec and the loader chart by dedup mode', () => {
    const storage = charts.find((c) => c.file === 'storage.svg');
    if (storage) expect(texts(storage.svg)).toEqual(expect.arrayContaining(['time order', 'session order', 'zstd', 'bytes per sample']));
    const loader = charts.find((c) => c.file === 'loader.svg');
    if (loader) expect(texts(loader.svg)).toEqual(expect.arrayContaining(['dedup on (IKJT)', 'dedup off (KJT)', 'samples per session', 'samples/s']));
  });
});

describe('charts tolerate missing and unknown fields', () => {
  it('leaves out charts whose data is absent or malformed, without throwing', () => {
    const broken = [
      saved('storage', [{ source: 'x', order: 'time' }, null, 3]),
      saved('loader', { results: [{ samplesPerSession: 4 }, { samplesPerSession: 'four', parquet: { on: { median: 1 } } }] }),
      saved('train', { results: 'not an array' }),
      saved('datagen', { events: 100 }),
      saved('csv', {}),
      saved('dedup', null),
    ];
    expect(chartsFromResults(broken)).toEqual([]);
  });

  it('draws what is there when only part of a result is', () => {
    const charts = chartsFromResults([saved('loader', { results: [{ samplesPerSession: 1, rows: 1000, parquet: { on: { median: 0.01 } } }, { samplesPerSession: 8, rows: 1000, parquet: { on: { median: 0.005 } } }] })]);
    expect(charts.map((c) => c.file)).toEqual(['loader.svg']);
    expect(texts(charts[0].svg)).toEqual(expect.arrayContaining(['dedup on (IKJT)', '200k']));
    expect(texts(charts[0].svg)).not.toContain('from decoded samples in memory');
  });
});

describe('the loader chart', () => {
  it('compares dedup on and off from Parquet and from memory against the paper', () => {
    const entry = (k: number, on: number, off: number) => ({ samplesPerSession: k, rows: 1000, parquet: { on: { median: 1000 / on }, off: { median: 1000 / off } }, memory: { on: { median: 1000 / (10 * on) }, off: { median: 1000 / (5 * off) } } });
    const [chart] = chartsFromResults([saved('loader', { results: [entry(1, 100, 200), entry(8, 300, 150)] })]);
    const text = texts(chart.svg);
    expect(text).toEqual(expect.arrayContaining(['from Parquet (decode + transforms + batch)', 'from decoded samples in memory', 'dedup on / dedup off', 'RecD paper 1.79x', 'from Parquet', 'from memory']));
    expect(chart.svg).toContain('<title>from Parquet: 2 at 8</title>'); // 300 / 150
    expect(chart.svg).toContain('<title>from memory: 4 at 8</title>'); // 3000 / 750
  });

  it('falls back to samples/s fields found by name when the loader results change shape', () => {
    const [chart] = chartsFromResults([saved('loader', { results: [{ samplesPerSession: 4, dedupOnSamplesPerSecond: 300, dedupOffSamplesPerSecond: 200 }] })]);
    expect(texts(chart.svg)).toEqual(expect.arrayContaining(['recd, dedup on (IKJT)', 'recd, dedup off (KJT)', 'recd speedup', 'RecD paper 1.79x']));
  });
});

describe('peers are picked up by field name', () => {
  const recd = [
    { samplesPerSession: 1, kjtSamplesPerSecond: 2500, ikjtSamplesPerSecond: 2800 },
    { samplesPerSession: 8, kjtSamplesPerSecond: 2400, ikjtSamplesPerSecond: 10_800 },
  ];

  it('finds recd and PyTorch series, in the same result or in a result of their own', () => {
    const sameResult = throughputSeries('train', { results: recd, pytorch: [{ samplesPerSession: 8, kjtSamplesPerSecond: 1100, ikjtSamplesPerSecond: 6500 }] });
    expect(sameResult.map((s) => [s.system, s.dedup])).toEqual([
      ['recd', 'off'],
      ['recd', 'on'],
      ['PyTorch', 'off'],
      ['PyTorch', 'on'],
    ]);
    const ownFields = throughputSeries('train', { results: recd.map((r) => ({ ...r, torchKjtSamplesPerSecond: 1000, torchIkjtSamplesPerSecond: 4000 })) });
    expect(ownFields.filter((s) => s.system === 'PyTorch').map((s) => s.dedup)).toEqual(['off', 'on']);
    expect(speedupSeries(ownFields)).toEqual([
      { system: 'recd', points: [{ x: 1, y: 2800 / 2500 }, { x: 8, y: 10_800 / 2400 }] },
      { system: 'PyTorch', points: [{ x: 1, y: 4 }, { x: 8, y: 4 }] },
    ]);
  });

  it('shows a PyTorch result file in the training chart beside recd', () => {
    const charts = chartsFromResults([saved('train', { results: recd }), saved('train-pytorch', { results: [{ samplesPerSession: 8, dedupOffSamplesPerSecond: 1100, dedupOnSamplesPerSecond: 6500 }] })]);
    const train = charts.find((c) => c.file === 'train.svg')!;
    expect(xmlProblems(train.svg)).toEqual([]);
    expect(texts(train.svg)).toEqual(expect.arrayContaining(['recd, dedup on (IKJT)', 'recd, dedup off (KJT)', 'PyTorch, dedup on (IKJT)', 'PyTorch, dedup off (KJT)', 'recd speedup', 'PyTorch speedup', 'RecD paper 2.48x']));
    expect(texts(train.svg).join(' ')).toContain('train-pytorch: `npm run bench -- train-pytorch`');
  });
});

describe('writeReport (what --report-only does)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'recd-report-'));
    fs.mkdirSync(path.join(dir, 'results'));
    for (const result of savedResults) fs.writeFileSync(path.join(dir, 'results', `${result.name}.json`), JSON.stringify(result));
    fs.mkdirSync(path.join(dir, 'charts'));
    fs.writeFileSync(path.join(dir, 'charts', 'stale.svg'), '<svg/>');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes RESULTS.md linking every chart it draws, removes stale charts, and is deterministic', () => {
    const first = writeReport(dir, ['dedup', 'csv', 'storage', 'datagen', 'loader', 'train']);
    const markdown = fs.readFileSync(first.resultsFile, 'utf8');
    expect(first.chartFiles.length).toBeGreaterThan(0);
    for (const file of first.chartFiles) {
      expect(markdown).toContain(`](charts/${path.basename(file)})`);
      expect(xmlProblems(fs.readFileSync(file, 'utf8'))).toEqual([]);
    }
    expect(first.removed).toEqual([path.join(dir, 'charts', 'stale.svg')]);
    expect(fs.existsSync(path.join(dir, 'charts', 'stale.svg'))).toBe(false);
    const again = writeReport(dir, ['dedup', 'csv', 'storage', 'datagen', 'loader', 'train']);
    expect(fs.readFileSync(again.resultsFile, 'utf8')).toBe(markdown);
    expect(again.removed).toEqual([]);
    expect(again.uncharted).toEqual([]); // every committed result has a chart
  });

  it('names the results no chart shows, and still writes their section', () => {
    fs.writeFileSync(path.join(dir, 'results', 'mystery.json'), JSON.stringify(saved('mystery', { unknown: [1, 2] })));
    const report = writeReport(dir, ['dedup']);
    expect(report.uncharted).toEqual(['mystery']);
    expect(fs.readFileSync(report.resultsFile, 'utf8')).toContain('## mystery: mystery');
  });

  it('matches the committed bench/RESULTS.md and charts (regenerate with npm run bench -- --report-only)', () => {
    const report = writeReport(dir, ['dedup', 'csv', 'storage', 'datagen', 'loader', 'train']);
    const benchDir = path.join(__dirname, '..', 'bench');
    const stale = [report.resultsFile, ...report.chartFiles].filter((file) => {
      const committed = path.join(benchDir, path.relative(dir, file));
      return !fs.existsSync(committed) || fs.readFileSync(committed, 'utf8') !== fs.readFileSync(file, 'utf8');
    });
    expect(stale.map((file) => `bench/${path.relative(dir, file)} is out of date: run npm run bench -- --report-only`)).toEqual([]);
  });
});
