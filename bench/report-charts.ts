/**
 * The SVG charts of RESULTS.md, built from saved results (bench/results/*.json) only, so they can
 * be regenerated without running anything (`npm run bench -- --report-only`). A chart whose data
 * is missing from the results at hand is left out; fields are read with the tolerant accessors of
 * result-fields.ts.
 */
import { renderFigure, PanelSpec } from './svg';
import type { LineSeries } from './svg';
import type { SavedResult } from './report';
import { field, medianField, numberField, objectsField, stringField } from './result-fields';
import { OTHER, PAPER_PREPROCESSING, PAPER_TRAINING, PEER, RECD, ratioPanel } from './chart-parts';
import { trainEquivalencePanels, trainMemoryPanels, trainQualityPanels, trainThroughputPanels } from './train-charts';
import { seriesName, speedupSeries, throughputSeries, ThroughputSeries } from './throughput-series';

export interface Chart {
  /** The benchmark whose section links it. */
  benchmark: string;
  /** File name under bench/charts/. */
  file: string;
  /** Alt text and caption. */
  title: string;
  svg: string;
  /** Names of the saved results it is drawn from. */
  sources: string[];
}

export function chartsFromResults(results: readonly SavedResult[]): Chart[] {
  const byName = new Map(results.map((saved) => [saved.name, saved]));
  const charts: Chart[] = [];
  const add = (benchmark: string, file: string, title: string, panels: (PanelSpec | undefined)[], sources: SavedResult[], panelWidth?: number): void => {
    const present = panels.filter((panel): panel is PanelSpec => panel !== undefined);
    if (present.length === 0) return;
    charts.push({ benchmark, file, title, svg: renderFigure({ title, panels: present, footnote: footnote(sources), panelWidth }), sources: sources.map((saved) => saved.name) });
  };
  const storage = byName.get('storage');
  if (storage) add('storage', 'storage.svg', 'Storage: Parquet bytes per sample by sample order and codec', [storageByOrder(storage), storageByCodec(storage)], [storage]);
  const loader = byName.get('loader');
  if (loader) add('loader', 'loader.svg', 'Loader: samples/s against samples per session, dedup on and off', loaderPanels(loader), [loader]);
  const trainResults = results.filter((saved) => saved.name === 'train' || /torch|peer/i.test(saved.name));
  if (trainResults.length > 0) add(trainResults[0].name, 'train.svg', 'Training: samples/s against samples per session, dedup on and off, recd and PyTorch', trainPanels(trainResults), trainResults);
  const memory = byName.get('train-memory');
  if (memory) add('train-memory', 'train-memory.svg', 'Training memory: dedup on vs off, by samples per session', trainMemoryPanels(field(memory.result, 'data')), [memory]);
  const equivalence = byName.get('train-equivalence');
  if (equivalence) add('train-equivalence', 'train-equivalence.svg', 'Training equivalence: the same steps with and without dedup', trainEquivalencePanels(field(equivalence.result, 'data')), [equivalence], 560);
  const quality = byName.get('train-quality');
  if (quality) add('train-quality', 'train-quality.svg', 'Model quality on MovieLens: dedup on vs off, and a count baseline', trainQualityPanels(field(quality.result, 'data')), [quality]);
  const datagen = byName.get('datagen');
  if (datagen) add('datagen', 'datagen.svg', 'Sample generation: recd vs DuckDB (same job, same log)', [datagenPanel(datagen)], [datagen]);
  const csv = byName.get('csv');
  if (csv) add('csv', 'csv.svg', 'CSV reading: recd vs fast-csv and csv-parse', [csvPanel(csv)], [csv]);
  const dedup = byName.get('dedup');
  if (dedup) add('dedup', 'dedup.svg', 'Exact dedup + expand of one batch: recd vs a naive Map of row strings', [dedupPanel(dedup)], [dedup]);
  return charts;
}

function footnote(sources: readonly SavedResult[]): string {
  return sources
    .map((saved) => {
      const machine = saved.machine;
      const where = machine ? `${machine.cores} cores, Node ${machine.node}, load ${machine.loadAverage}` : 'machine not recorded';
      return `${saved.name}: \`${saved.command}\` on ${saved.date?.slice(0, 10) ?? '?'} (${where}); median of ${saved.repetitions} repetition${saved.repetitions === 1 ? '' : 's'}.`;
    })
    .join(' ');
}

interface StorageRow {
  source: string;
  order: string;
  codec: string;
  bytesPerSample: number;
}

function storageRows(saved: SavedResult): StorageRow[] {
  return objectsField(saved.result, 'data').flatMap((entry) => {
    const source = stringField(entry, 'source');
    const order = stringField(entry, 'order');
    const codec = stringField(entry, 'codec');
    const rows = numberField(entry, 'rows');
    const bytes = numberField(entry, 'bytes');
    return source && order && codec && rows && bytes !== undefined ? [{ source, order, codec, bytesPerSample: bytes / rows }] : [];
  });
}

/** Known orders first, in this order; any other order found in the results follows in the remaining palette colours. */
const ORDERS = ['time', 'session', 'user', 'random'];
const ORDER_COLORS: Record<string, string> = { time: '#E69F00', session: '#0072B2', user: '#CC79A7', random: '#999999' };
const EXTRA_ORDER_COLORS = ['#009E73', '#D55E00', '#56B4E9', '#000000'];

/** Every order present in `rows`: the known ones in ORDERS order, then the rest as found. */
function ordersOf(rows: readonly StorageRow[]): { order: string; color: string }[] {
  const present = [...new Set(rows.map((row) => row.order))];
  const known = ORDERS.filter((order) => present.includes(order));
  const others = present.filter((order) => !ORDERS.includes(order));
  return [...known.map((order) => ({ order, color: ORDER_COLORS[order] })), ...others.map((order, i) => ({ order, color: EXTRA_ORDER_COLORS[i % EXTRA_ORDER_COLORS.length] }))];
}

function storageByOrder(saved: SavedResult): PanelSpec | undefined {
  const rows = storageRows(saved).filter((row) => row.codec === 'zstd');
  const sources = [...new Set(rows.map((row) => row.source))];
  const orders = ordersOf(rows);
  if (sources.length === 0 || orders.length === 0) return undefined;
  return {
    type: 'bar',
    title: orders.length <= 3 ? `ZSTD, per log: ${orders.map(({ order }) => order).join(' vs ')} order` : 'ZSTD, per log, by sample order',
    yLabel: 'bytes per sample',
    series: orders.map(({ order, color }) => ({ name: `${order} order`, color })),
    groups: sources.map((source) => ({
      label: source.replace(/^synthetic /, 'synthetic, '),
      values: orders.map(({ order }) => rows.find((row) => row.source === source && row.order === order)?.bytesPerSample),
    })),
    formatValue: (value) => value.toFixed(value < 10 ? 1 : 0),
  };
}

function storageByCodec(saved: SavedResult): PanelSpec | undefined {
  const rows = storageRows(saved);
  // the log measured with the most codecs
  const codecCount = (source: string): number => new Set(rows.filter((row) => row.source === source).map((row) => row.codec)).size;
  const source = [...new Set(rows.map((row) => row.source))].sort((a, b) => codecCount(b) - codecCount(a))[0];
  if (source === undefined || codecCount(source) < 2) return undefined;
  const ofSource = rows.filter((row) => row.source === source);
  const codecs = [...new Set(ofSource.map((row) => row.codec))];
  const orders = ordersOf(ofSource).filter(({ order }) => order !== 'random');
  return {
    type: 'bar',
    title: `${source}: per codec`,
    yLabel: 'bytes per sample',
    series: orders.map(({ order, color }) => ({ name: `${order} order`, color })),
    groups: codecs.map((codec) => ({ label: codec, values: orders.map(({ order }) => ofSource.find((row) => row.codec === codec && row.order === order)?.bytesPerSample) })),
    formatValue: (value) => value.toFixed(0),
  };
}

function loaderPanels(saved: SavedResult): (PanelSpec | undefined)[] {
  const entries = objectsField(saved.result, 'data', 'results');
  const series = (source: 'parquet' | 'memory', dedup: 'on' | 'off'): LineSeries => ({
    name: `dedup ${dedup}${dedup === 'on' ? ' (IKJT)' : ' (KJT)'}`,
    color: RECD,
    dashed: dedup === 'off',
    points: entries.flatMap((entry) => {
      const x = numberField(entry, 'samplesPerSession');
      const rows = numberField(entry, 'rows');
      const seconds = numberField(entry, source, dedup, 'median');
      return x && rows && seconds ? [{ x, y: rows / seconds }] : [];
    }),
  });
  const sources = [
    { source: 'parquet' as const, title: 'from Parquet (decode + transforms + batch)', ratioName: 'from Parquet', color: RECD },
    { source: 'memory' as const, title: 'from decoded samples in memory', ratioName: 'from memory', color: OTHER },
  ].map((s) => ({ ...s, on: series(s.source, 'on'), off: series(s.source, 'off') }));
  const measured = sources.filter((s) => s.on.points.length > 0 || s.off.points.length > 0);
  if (measured.length === 0) {
    // another layout of loader results: samples/s found by field name, as for training
    return throughputPanels(throughputSeries(saved.name, field(saved.result, 'data')), 'loader samples/s', PAPER_PREPROCESSING);
  }
  const ratios = measured
    .map((s) => ({ name: s.ratioName, color: s.color, points: s.on.points.flatMap((p) => s.off.points.filter((q) => q.x === p.x).map((q) => ({ x: p.x, y: p.y / q.y }))) }))
    .filter((line) => line.points.length > 0);
  return [
    ...measured.map((s): PanelSpec => ({ type: 'line', title: s.title, xLabel: 'samples per session', yLabel: 'samples/s', xScale: 'log2', series: [s.on, s.off] })),
    ratios.length === 0 ? undefined : ratioPanel(ratios, PAPER_PREPROCESSING),
  ];
}

/** train.json's per-config layout when present; else samples/s fields found by name (older layouts, peer files). */
function trainPanels(results: readonly SavedResult[]): (PanelSpec | undefined)[] {
  const train = results.find((saved) => saved.name === 'train');
  const byConfig = train ? trainThroughputPanels(field(train.result, 'data')) : [];
  if (byConfig.length > 0) return byConfig;
  const all = results.flatMap((saved) => throughputSeries(saved.name, field(saved.result, 'data')));
  return throughputPanels(all, 'DLRM forward + backward', PAPER_TRAINING);
}

/** Samples/s of every series found by name, and dedup on / off per system beside RecD's number. */
function throughputPanels(all: readonly ThroughputSeries[], title: string, paper: number): (PanelSpec | undefined)[] {
  if (all.length === 0) return [];
  const colorOf = (system: string): string => (system === 'recd' ? RECD : system === 'PyTorch' ? PEER : OTHER);
  const rates: PanelSpec = {
    type: 'line',
    title,
    xLabel: 'samples per session',
    yLabel: 'samples/s',
    xScale: 'log2',
    series: all.map((series) => ({ name: seriesName(series), points: series.points, color: colorOf(series.system), dashed: series.dedup !== 'on' })),
  };
  const speedups = speedupSeries(all).map((s) => ({ name: `${s.system} speedup`, points: s.points, color: colorOf(s.system) }));
  return [rates, speedups.length === 0 ? undefined : ratioPanel(speedups, paper)];
}

function datagenPanel(saved: SavedResult): PanelSpec | undefined {
  const data = field(saved.result, 'data');
  const events = numberField(data, 'events');
  if (!events) return undefined;
  const tools: { name: string; seconds: number | undefined; color: string }[] = [
    { name: 'recd (@recd/datagen)', seconds: medianField(data, 'recdSeconds'), color: RECD },
    { name: 'recd, parquet-wasm pages', seconds: medianField(data, 'wasmSeconds'), color: RECD },
    { name: 'DuckDB (SQL)', seconds: medianField(data, 'duckSeconds'), color: PEER },
  ];
  const measured = tools.filter((tool) => tool.seconds !== undefined && tool.seconds > 0);
  if (measured.length === 0) return undefined;
  return {
    type: 'bar',
    title: `${formatCount(events)} events: CSV -> session-ordered ZSTD Parquet`,
    yLabel: 'events/s',
    series: [{ name: 'events/s (median run)' }],
    groups: measured.map((tool) => ({ label: tool.name, values: [events / (tool.seconds as number)], color: tool.color })),
  };
}

function csvPanel(saved: SavedResult): PanelSpec | undefined {
  const parsers = objectsField(saved.result, 'data', 'parsers').flatMap((parser) => {
    const name = stringField(parser, 'name');
    const rate = numberField(parser, 'rowsPerSecond');
    return name && rate !== undefined ? [{ name, rate }] : [];
  });
  if (parsers.length === 0) return undefined;
  return {
    type: 'bar',
    title: 'rows/s parsing one CSV file',
    yLabel: 'rows/s',
    series: [{ name: 'rows/s' }],
    groups: parsers.map((parser) => ({ label: parser.name.replace('@recd/datagen ', 'recd '), values: [parser.rate], color: parser.name.startsWith('@recd') ? RECD : PEER })),
  };
}

function dedupPanel(saved: SavedResult): PanelSpec | undefined {
  const configs = objectsField(saved.result, 'data', 'configs');
  const line = (name: string, key: string, color: string, dashed: boolean): LineSeries => ({
    name,
    color,
    dashed,
    points: configs.flatMap((config) => {
      const x = numberField(config, 'samplesPerSession');
      const y = numberField(config, key);
      return x && y !== undefined ? [{ x, y }] : [];
    }),
  });
  const series = [line('recd dedup + expand', 'fastIdsPerSecond', RECD, false), line('naive Map<string>', 'naiveIdsPerSecond', PEER, true)];
  if (series.every((s) => s.points.length === 0)) return undefined;
  return { type: 'line', title: 'id values/s through dedup + expand', xLabel: 'samples per session', yLabel: 'id values/s', xScale: 'log2', series };
}

function formatCount(value: number): string {
  return value >= 1e6 ? `${value / 1e6}M` : value >= 1e3 ? `${value / 1e3}k` : String(value);
}
