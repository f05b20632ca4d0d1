/**
 * Regenerates bench/RESULTS.md and bench/charts/*.svg from bench/results/*.json. Runs nothing:
 * this is all `npm run bench -- --report-only` does, and what every benchmark run ends with.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadResults, renderResults } from './report';
import { chartsFromResults } from './report-charts';

export interface WrittenReport {
  resultsFile: string;
  chartFiles: string[];
  /** Charts left from earlier runs that nothing draws any more, deleted. */
  removed: string[];
  /** Saved results that no chart shows (their data has none of the fields the charts look for). */
  uncharted: string[];
}

/** `benchDir` holds results/; RESULTS.md and charts/ are written beside it. `order` is the section order. */
export function writeReport(benchDir: string, order: readonly string[]): WrittenReport {
  const results = loadResults(path.join(benchDir, 'results'));
  const charts = chartsFromResults(results);
  const chartsDir = path.join(benchDir, 'charts');
  fs.mkdirSync(chartsDir, { recursive: true });
  const chartFiles = charts.map((chart) => {
    const file = path.join(chartsDir, chart.file);
    writeAtomically(file, chart.svg);
    return file;
  });
  const drawn = new Set(charts.map((chart) => chart.file));
  const removed = fs
    .readdirSync(chartsDir)
    .filter((name) => name.endsWith('.svg') && !drawn.has(name))
    .map((name) => path.join(chartsDir, name));
  for (const file of removed) fs.rmSync(file);
  const resultsFile = path.join(benchDir, 'RESULTS.md');
  writeAtomically(resultsFile, renderResults(results, order, charts));
  const charted = new Set(charts.map((chart) => chart.benchmark));
  const uncharted = results.map((saved) => saved.name).filter((name) => !charted.has(name) && !charts.some((chart) => chart.sources.includes(name)));
  return { resultsFile, chartFiles, removed, uncharted };
}

function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, text);
  fs.renameSync(temporary, file);
}
