/**
 * The panels of the four training charts, from the saved results of bench/train.ts (throughput on
 * configs (a) and (b) beside PyTorch), train-memory.ts, train-equivalence.ts and train-quality.ts.
 * Read with the tolerant accessors of result-fields.ts: a missing field leaves out its series or
 * panel, never throws.
 */
import type { LineSeries, PanelSpec } from './svg';
import { PAPER_TRAINING, PEER, RECD, ratioPanel } from './chart-parts';
import { field, medianField, numberField, objectsField, stringField } from './result-fields';

type Point = { x: number; y: number };

const DEDUP_OFF = '#56B4E9';
const SHARED = '#999999';
/** Speedup lines: one colour per system and config. */
const SPEEDUP_COLORS: Record<string, Record<string, string>> = {
  recd: { a: RECD, b: '#56B4E9' },
  PyTorch: { a: PEER, b: '#D55E00' },
};

interface ConfigThroughput {
  name: string;
  label: string;
  batchSize: number;
  recd: { on: Point[]; off: Point[] };
  torch: { on: Point[]; off: Point[]; threads: number[] };
}

/** Samples/s (batch size over the median seconds per step) per config of a train.json `data`. */
export function trainThroughput(data: unknown): ConfigThroughput[] {
  return objectsField(data, 'configs').flatMap((entry) => {
    const batchSize = numberField(entry, 'config', 'batchSize');
    if (batchSize === undefined) return [];
    const name = stringField(entry, 'config', 'name') ?? '?';
    const rate = (seconds: number | undefined): number | undefined => (seconds !== undefined && seconds > 0 ? batchSize / seconds : undefined);
    const recd = objectsField(entry, 'recd');
    const recdLine = (key: string): Point[] =>
      recd.flatMap((r) => {
        const x = numberField(r, 'samplesPerSession');
        const y = rate(medianField(r, key));
        return x && y ? [{ x, y }] : [];
      });
    const torchRuns = field(entry, 'torch', 'ran') === false ? [] : objectsField(entry, 'torch', 'results');
    // per samples/session, the faster thread count (as train.ts's ratios do)
    const torchLine = (dedup: boolean): Point[] => {
      const best = new Map<number, number>();
      for (const run of torchRuns) {
        const x = numberField(run, 'samplesPerSession');
        const y = rate(medianField(run, 'secondsPerStep'));
        if (!x || !y || field(run, 'dedup') !== dedup) continue;
        best.set(x, Math.max(best.get(x) ?? 0, y));
      }
      return [...best].map(([x, y]) => ({ x, y })).sort((p, q) => p.x - q.x);
    };
    const threads = [...new Set(torchRuns.flatMap((run) => numberField(run, 'threads') ?? []))].sort((a, b) => a - b);
    const result = { name, label: stringField(entry, 'config', 'label') ?? `(${name})`, batchSize, recd: { on: recdLine('onSecondsPerStep'), off: recdLine('offSecondsPerStep') }, torch: { on: torchLine(true), off: torchLine(false), threads } };
    return result.recd.on.length + result.recd.off.length + result.torch.on.length + result.torch.off.length > 0 ? [result] : [];
  });
}

/** Dedup on over off where both were measured at the same samples/session. */
function onOverOff(on: readonly Point[], off: readonly Point[]): Point[] {
  return on.flatMap((p) => off.filter((q) => q.x === p.x && q.y > 0).map((q) => ({ x: p.x, y: p.y / q.y })));
}

/** Per config samples/s (recd and PyTorch, dedup on and off), then every on/off speedup against RecD's 2.48x. */
export function trainThroughputPanels(data: unknown): PanelSpec[] {
  const configs = trainThroughput(data);
  if (configs.length === 0) return [];
  const rates = configs.map((config): PanelSpec => {
    const threads = config.torch.threads.length > 1 ? ` (faster of ${config.torch.threads.join(', ')} threads)` : '';
    return {
      type: 'line',
      title: `${config.label}, batch ${config.batchSize}`,
      xLabel: 'samples per session',
      yLabel: 'samples/s',
      xScale: 'log2',
      series: [
        { name: 'recd, dedup on (IKJT)', points: config.recd.on, color: RECD },
        { name: 'recd, dedup off (KJT)', points: config.recd.off, color: RECD, dashed: true },
        { name: `PyTorch${threads}, dedup on`, points: config.torch.on, color: PEER },
        { name: `PyTorch${threads}, dedup off`, points: config.torch.off, color: PEER, dashed: true },
      ],
    };
  });
  const speedups = configs.flatMap((config) =>
    (['recd', 'PyTorch'] as const).map(
      (system): LineSeries => ({
        name: `${system} (${config.name})`,
        color: SPEEDUP_COLORS[system][config.name] ?? (system === 'recd' ? RECD : PEER),
        dashed: system === 'PyTorch',
        points: system === 'recd' ? onOverOff(config.recd.on, config.recd.off) : onOverOff(config.torch.on, config.torch.off),
      }),
    ),
  );
  return speedups.some((s) => s.points.length > 0) ? [...rates, ratioPanel(speedups, PAPER_TRAINING)] : rates;
}

const MIB = 2 ** 20;

/** train-memory.json: activation bytes and peak RSS per samples/session, dedup off and on (and the shared model + data). */
export function trainMemoryPanels(data: unknown): (PanelSpec | undefined)[] {
  const results = objectsField(data, 'results').filter((r) => numberField(r, 'samplesPerSession') !== undefined);
  const panel = (key: string, title: string, modes: readonly { mode: string; name: string; color: string }[], digits: number): PanelSpec | undefined => {
    const measured = modes.filter(({ mode }) => results.some((r) => numberField(r, mode, key) !== undefined));
    if (!measured.some(({ mode }) => mode !== 'none')) return undefined;
    return {
      type: 'bar',
      title,
      yLabel: 'MiB',
      series: measured.map(({ name, color }) => ({ name, color })),
      groups: results.map((r) => ({ label: `${numberField(r, 'samplesPerSession')} per session`, values: measured.map(({ mode }) => scaled(numberField(r, mode, key), MIB)) })),
      formatValue: (value) => value.toFixed(digits),
    };
  };
  const dedup = [
    { mode: 'off', name: 'dedup off (KJT)', color: DEDUP_OFF },
    { mode: 'on', name: 'dedup on (IKJT)', color: RECD },
  ];
  return [
    panel('activationBytes', 'activations kept for backward', dedup, 1),
    panel('maxRssBytes', 'peak RSS of the process', [{ mode: 'none', name: 'model + data, no step', color: SHARED }, ...dedup], 0),
  ];
}

function scaled(value: number | undefined, unit: number): number | undefined {
  return value === undefined ? undefined : value / unit;
}

/** The target of bench/train-equivalence.ts: dedup on and off agree to this relative loss difference. */
const LOSS_TARGET = 1e-5;

/** train-equivalence.json: |b - a| / |a| of the loss at every step (log scale), and the losses of the first comparison. */
export function trainEquivalencePanels(data: unknown): (PanelSpec | undefined)[] {
  const comparisons = objectsField(data, 'comparisons').flatMap((comparison, i) => {
    const a = numericArray(field(comparison, 'result', 'lossesOff'));
    const b = numericArray(field(comparison, 'result', 'lossesOn'));
    const steps = Math.min(a.length, b.length);
    if (steps === 0) return [];
    const differences = Array.from({ length: steps }, (_, step) => ({ x: step + 1, y: Math.abs(b[step] - a[step]) / Math.abs(a[step]) }));
    const label = stringField(comparison, 'label') ?? `comparison ${i + 1}`;
    return [{ label, a, b, aName: stringField(comparison, 'a') ?? 'a', bName: stringField(comparison, 'b') ?? 'b', differences }];
  });
  if (comparisons.length === 0) return [];
  const equalSteps = comparisons.reduce((sum, c) => sum + c.differences.filter((p) => !(p.y > 0)).length, 0);
  const colors = [RECD, PEER, '#009E73', '#CC79A7'];
  const first = comparisons[0];
  return [
    {
      type: 'line',
      title: `relative loss difference per step${equalSteps > 0 ? ` (${equalSteps} equal-loss steps not drawn)` : ''}`,
      xLabel: 'training step',
      yLabel: '|loss b - loss a| / loss a',
      yScale: 'log10',
      series: comparisons.map((c, i) => ({ name: c.label, points: c.differences, color: colors[i % colors.length] })),
      references: [{ y: LOSS_TARGET, label: `target ${LOSS_TARGET.toExponential(0)}` }],
    },
    {
      type: 'line',
      title: `loss per step: ${first.label}`,
      xLabel: 'training step',
      yLabel: 'training loss',
      yScale: 'fit',
      series: [
        { name: first.aName, points: first.a.map((y, i) => ({ x: i + 1, y })), color: DEDUP_OFF },
        { name: first.bName, points: first.b.map((y, i) => ({ x: i + 1, y })), color: RECD, dashed: true },
      ],
    },
  ];
}

function numericArray(value: unknown): number[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'number' && Number.isFinite(v)) ? (value as number[]) : [];
}

/** train-quality.json: held-out AUC and NE after each epoch, dedup on and off, beside the count baseline. */
export function trainQualityPanels(data: unknown): (PanelSpec | undefined)[] {
  const metricPanel = (metric: 'auc' | 'ne', title: string, yLabel: string): PanelSpec | undefined => {
    const line = (run: string): Point[] =>
      objectsField(data, run, 'epochs').flatMap((epoch) => {
        const x = numberField(epoch, 'epoch');
        const y = numberField(epoch, 'eval', metric);
        return x !== undefined && y !== undefined ? [{ x: x + 1, y }] : [];
      });
    const series: LineSeries[] = [
      { name: 'dedup on (IKJT)', points: line('dedup'), color: RECD },
      { name: 'dedup off (KJT)', points: line('noDedup'), color: DEDUP_OFF, dashed: true },
    ];
    if (series.every((s) => s.points.length === 0)) return undefined;
    const baseline = numberField(data, 'baseline', 'metrics', metric);
    return {
      type: 'line',
      title,
      xLabel: 'epoch',
      yLabel,
      yScale: 'fit',
      series,
      references: baseline === undefined ? [] : [{ y: baseline, label: `count baseline ${baseline.toFixed(3)}` }],
    };
  };
  return [metricPanel('auc', 'held-out AUC after each epoch (higher is better)', 'AUC (axis fitted, not from 0)'), metricPanel('ne', 'held-out normalized entropy (lower is better)', 'NE (axis fitted, not from 0)')];
}
