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
    for (const name of ['storage', 'loader', 'train', 'train-memory', 'train-equivalence', 'train-quality', 'datagen', 'csv', 'dedup'].filter((n) => names.has(n))) {
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

  it('draws every order in storage.json and every training config in train.json', () => {
    const storage = savedResults.find((s) => s.name === 'storage');
    const orders = new Set(((storage?.result.data ?? []) as { order: string }[]).map((row) => row.order));
    const storageChart = charts.find((c) => c.file === 'storage.svg');
    for (const order of orders) expect(texts(storageChart!.svg)).toContain(`${order} order`);
    const train = savedResults.find((s) => s.name === 'train');
    const configs = ((train?.result.data as { configs?: { config: { label: string; batchSize: number } }[] })?.configs ?? []).map((c) => c.config);
    const trainChart = charts.find((c) => c.file === 'train.svg');
    for (const config of configs) expect(texts(trainChart!.svg)).toContain(`${config.label}, batch ${config.batchSize}`);
    if (configs.length > 0) expect(texts(trainChart!.svg)).toEqual(expect.arrayContaining(['recd, dedup on (IKJT)', 'recd, dedup off (KJT)', 'RecD paper 2.48x']));
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
      saved('train-memory', { steps: 3, results: [{ samplesPerSession: 4, none: { maxRssBytes: 1 } }, { samplesPerSession: 'x', on: { maxRssBytes: 2 } }] }),
      saved('train-equivalence', { comparisons: [{ label: 'x', result: { lossesOff: [1, 'a'], lossesOn: [1, 2] } }, { result: null }] }),
      saved('train-quality', { dedup: { epochs: [{ epoch: 0, eval: {} }] }, baseline: { metrics: { auc: 0.7 } } }),
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

describe('the storage chart', () => {
  it('shows every order found, the user order in a colour of its own', () => {
    const row = (order: string, codec: string, bytes: number) => ({ source: 'synthetic 1k concurrent', order, codec, rows: 1000, bytes });
    const data = [row('time', 'zstd', 60_000), row('session', 'zstd', 30_000), row('user', 'zstd', 25_000), row('random', 'zstd', 75_000), row('time', 'snappy', 90_000), row('session', 'snappy', 50_000)];
    const [chart] = chartsFromResults([saved('storage', data)]);
    expect(xmlProblems(chart.svg)).toEqual([]);
    expect(texts(chart.svg)).toEqual(expect.arrayContaining(['time order', 'session order', 'user order', 'random order', 'ZSTD, per log, by sample order', '25', '60', '75']));
    expect(chart.svg).toContain('<title>user order, synthetic, 1k concurrent: 25</title>');
    const fills = (order: string) => [...chart.svg.matchAll(/<rect [^>]*fill="([^"]+)"><title>([a-z]+) order/g)].filter((m) => m[2] === order).map((m) => m[1]);
    expect(new Set(fills('user')).size).toBe(1);
    for (const other of ['time', 'session', 'random']) expect(fills(other)).not.toContain(fills('user')[0]);
    // per codec: random left out, user drawn where measured (zstd only)
    expect(chart.svg).toContain('<title>user order, zstd: 25</title>');
    expect(chart.svg).not.toContain('<title>random order, zstd');
  });
});

describe('the training charts', () => {
  const steps = (seconds: number) => [seconds * 1.1, seconds, seconds * 0.9];
  const recdRow = (k: number, off: number, on: number) => ({ samplesPerSession: k, offSecondsPerStep: steps(off), onSecondsPerStep: steps(on) });
  const torchRow = (k: number, dedup: boolean, threads: number, seconds: number) => ({ samplesPerSession: k, dedup, threads, secondsPerStep: steps(seconds) });
  const config = (name: string, label: string, batchSize: number, recd: unknown[], torch: unknown[]) => ({ config: { name, label, batchSize }, recd, torch: { ran: true, results: torch } });
  const trainData = {
    configs: [
      config('a', '(a) Criteo-like', 1000, [recdRow(1, 1, 1), recdRow(8, 1, 0.5)], [torchRow(8, false, 1, 0.4), torchRow(8, false, 2, 0.2), torchRow(8, true, 1, 0.1), torchRow(8, true, 2, 0.2)]),
      config('b', '(b) sequence-heavy', 500, [recdRow(1, 1, 1), recdRow(8, 2, 0.5)], []),
    ],
  };

  it('draws samples/s per config, recd and PyTorch dedup on and off, and every speedup against 2.48x', () => {
    const [chart] = chartsFromResults([saved('train', trainData)]);
    expect(chart.file).toBe('train.svg');
    expect(xmlProblems(chart.svg)).toEqual([]);
    expect(texts(chart.svg)).toEqual(expect.arrayContaining(['(a) Criteo-like, batch 1000', '(b) sequence-heavy, batch 500', 'recd, dedup on (IKJT)', 'recd, dedup off (KJT)', 'PyTorch (faster of 1, 2 threads), dedup on', 'PyTorch (faster of 1, 2 threads), dedup off', 'dedup on / dedup off', 'RecD paper 2.48x', 'recd (a)', 'recd (b)', 'PyTorch (a)']));
    expect(texts(chart.svg)).not.toContain('PyTorch (b)'); // no PyTorch runs on (b): no line, no legend entry
    expect(chart.svg).toContain('<title>recd, dedup on (IKJT): 2k at 8</title>'); // 1000 / median 0.5 s
    expect(chart.svg).toContain('<title>PyTorch (faster of 1, 2 threads), dedup off: 5k at 8</title>'); // 2 threads faster
    expect(chart.svg).toContain('<title>PyTorch (faster of 1, 2 threads), dedup on: 10k at 8</title>'); // 1 thread faster
    expect(chart.svg).toContain('<title>recd (b): 4 at 8</title>');
    expect(chart.svg).toContain('<title>PyTorch (a): 2 at 8</title>');
    expect([...chart.svg.matchAll(/<g class="line-chart">/g)]).toHaveLength(3);
  });

  it('draws activation bytes and peak RSS by samples per session, dedup off and on', () => {
    const mode = (rss: number, activations: number) => ({ maxRssBytes: rss * 2 ** 20, activationBytes: activations * 2 ** 20 });
    const [chart] = chartsFromResults([saved('train-memory', { steps: 3, results: [1, 8].map((k) => ({ samplesPerSession: k, none: mode(300, 0), off: mode(550, 80), on: mode(k === 1 ? 550 : 420, 80 / k) })) })]);
    expect(chart.file).toBe('train-memory.svg');
    expect(xmlProblems(chart.svg)).toEqual([]);
    expect(texts(chart.svg)).toEqual(expect.arrayContaining(['activations kept for backward', 'peak RSS of the process', 'dedup off (KJT)', 'dedup on (IKJT)', 'model + data, no step', '1 per session', '8 per session', 'MiB', '80.0', '10.0', '420', '300']));
  });

  it('leaves the RSS panel out when only the shared process was measured', () => {
    const [chart] = chartsFromResults([saved('train-memory', { results: [{ samplesPerSession: 4, none: { maxRssBytes: 1e8 }, off: { activationBytes: 2 ** 20 } }] })]);
    expect(texts(chart.svg)).toContain('activations kept for backward');
    expect(texts(chart.svg)).not.toContain('peak RSS of the process');
  });

  it('draws the relative loss difference per step on a log axis with the 1e-5 target', () => {
    const lossesOff = [0.8, 0.7, 0.6, 0.5];
    const comparison = (label: string, factor: number) => ({ label, a: 'dedup off', b: 'dedup on', result: { lossesOff, lossesOn: lossesOff.map((loss, i) => (i === 0 ? loss : loss * (1 + factor * 10 ** i))) } });
    const [chart] = chartsFromResults([saved('train-equivalence', { steps: 4, comparisons: [comparison('Adam', 1e-9), comparison('SGD', 1e-12)] })]);
    expect(chart.file).toBe('train-equivalence.svg');
    expect(xmlProblems(chart.svg)).toEqual([]);
    const text = texts(chart.svg);
    expect(text).toEqual(expect.arrayContaining(['relative loss difference per step (2 equal-loss steps not drawn)', 'target 1e-5', 'Adam', 'SGD', '1e-12', '1e-6', 'training step', 'loss per step: Adam', 'dedup off', 'dedup on']));
    // a decade apart per step: equally spaced on the log axis
    const polyline = chart.svg.match(/<polyline points="([^"]*)"/)![1].split(' ').map((p) => p.split(',').map(Number));
    expect(polyline).toHaveLength(3); // step 1 (equal losses) not drawn
    expect(polyline[0][1] - polyline[1][1]).toBeCloseTo(polyline[1][1] - polyline[2][1], 1);
    expect(polyline[0][1]).toBeGreaterThan(polyline[2][1]);
  });

  it('draws held-out AUC and NE per epoch, dedup on and off, beside the count baseline', () => {
    const run = (aucs: number[]) => ({ epochs: aucs.map((auc, epoch) => ({ epoch, eval: { auc, ne: 1.2 - auc / 2 } })) });
    const [chart] = chartsFromResults([saved('train-quality', { dedup: run([0.66, 0.69]), noDedup: run([0.66, 0.688]), baseline: { metrics: { auc: 0.687, ne: 0.959 } } })]);
    expect(chart.file).toBe('train-quality.svg');
    expect(xmlProblems(chart.svg)).toEqual([]);
    expect(texts(chart.svg)).toEqual(expect.arrayContaining(['held-out AUC after each epoch (higher is better)', 'held-out normalized entropy (lower is better)', 'count baseline 0.687', 'count baseline 0.959', 'dedup on (IKJT)', 'dedup off (KJT)', 'epoch', '1', '2']));
    expect(chart.svg).toContain('<title>dedup off (KJT): 0.688 at 2</title>');
  });
});
