/** What several charts of RESULTS.md share: the system colours, RecD's published gains, the speedup panel. */
import type { LineSeries, PanelSpec } from './svg';

/** recd, a peer (DuckDB, PyTorch), anything else: Okabe–Ito blue, orange, green. */
export const RECD = '#0072B2';
export const PEER = '#E69F00';
export const OTHER = '#009E73';

/** RecD's published gains (Zhao et al., MLSys 2023), drawn as reference lines. */
export const PAPER_PREPROCESSING = 1.79;
export const PAPER_TRAINING = 2.48;

/** Dedup on over dedup off against samples per session, with "no gain" and the paper's number. */
export function ratioPanel(series: readonly LineSeries[], paper: number): PanelSpec {
  return {
    type: 'line',
    title: 'dedup on / dedup off',
    xLabel: 'samples per session',
    yLabel: 'speedup (x)',
    xScale: 'log2',
    series,
    references: [
      { y: 1, label: 'no gain' },
      { y: paper, label: `RecD paper ${paper}x` },
    ],
  };
}
