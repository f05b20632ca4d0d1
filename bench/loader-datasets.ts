/**
 * The loader benchmark's synthetic datasets, cached under the system temp folder between runs.
 *
 * A cached dataset is reused only when it was written from the same settings by the same
 * generator: its folder name carries a hash of the settings and of the built @recd/datagen and
 * @recd/core code (whose defaults, such as the ZSTD level or the list encoding, decide the files),
 * and its manifest is checked against the settings before use. Anything else is regenerated.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DatasetManifest, generateSamples, getPreset, openDatasetManifest, writeSyntheticLog } from '@recd/datagen';

export interface SyntheticDatasetSpec {
  /** Every session exactly this many events, so this many samples per session. */
  samplesPerSession: number;
  samples: number;
  rowGroupSize: number;
  shards: number;
  seed: number;
  /** Values of list columns; undefined: datagen's default. */
  listEncoding?: 'dictionary' | 'plain';
  /** ZSTD level; undefined: datagen's default. */
  zstdLevel?: number;
}

/** Bumped when this file changes how it generates datasets. */
const CACHE_FORMAT = 2;

/** The folder name of a dataset: readable settings, then a hash of everything that decides the files. */
export function datasetCacheKey(spec: SyntheticDatasetSpec, generator: string): string {
  const settings = [
    CACHE_FORMAT,
    spec.samplesPerSession,
    spec.samples,
    spec.rowGroupSize,
    spec.shards,
    spec.seed,
    spec.listEncoding ?? 'default',
    spec.zstdLevel ?? 'default',
    generator,
  ];
  const hash = createHash('sha256').update(JSON.stringify(settings)).digest('hex').slice(0, 12);
  return `v${CACHE_FORMAT}-k${spec.samplesPerSession}-n${spec.samples}-rg${spec.rowGroupSize}-${spec.listEncoding ?? 'default'}-${hash}`;
}

/** A hash of the built code of the packages that write the datasets (their `dist` folders). */
export function generatorFingerprint(packages: readonly string[] = ['@recd/datagen', '@recd/core']): string {
  const hash = createHash('sha256');
  for (const name of packages) {
    const dist = dirname(require.resolve(name));
    for (const file of jsFiles(dist)) hash.update(file.slice(dist.length)).update(readFileSync(file));
  }
  return hash.digest('hex').slice(0, 16);
}

function jsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...jsFiles(path));
    else if (entry.name.endsWith('.js')) out.push(path);
  }
  return out;
}

/** Why a cached manifest does not fit the settings, or undefined when it does. */
export function manifestMismatch(manifest: DatasetManifest, spec: SyntheticDatasetSpec): string | undefined {
  if (manifest.rows !== spec.samples) return `rows ${manifest.rows}, expected ${spec.samples}`;
  if (manifest.sessions * spec.samplesPerSession !== spec.samples) return `${manifest.sessions} sessions, expected ${spec.samples / spec.samplesPerSession}`;
  if (manifest.codec !== 'zstd') return `codec ${manifest.codec}, expected zstd`;
  if (manifest.zstdLevel === undefined) return 'no zstdLevel in the manifest (written by an older datagen)';
  if (spec.zstdLevel !== undefined && manifest.zstdLevel !== spec.zstdLevel) return `zstdLevel ${manifest.zstdLevel}, expected ${spec.zstdLevel}`;
  if (manifest.rowGroupSize !== spec.rowGroupSize) return `rowGroupSize ${manifest.rowGroupSize}, expected ${spec.rowGroupSize}`;
  if (manifest.shards.length !== spec.shards) return `${manifest.shards.length} shards, expected ${spec.shards}`;
  return undefined;
}

/** The dataset of `spec` under `cacheDir`, generated unless a matching one is there. */
export async function syntheticDataset(cacheDir: string, spec: SyntheticDatasetSpec, log: (message: string) => void = () => undefined, generator = generatorFingerprint()): Promise<string> {
  const dir = join(cacheDir, datasetCacheKey(spec, generator));
  if (existsSync(join(dir, 'manifest.json'))) {
    const mismatch = manifestMismatch(await openDatasetManifest(dir), spec);
    if (mismatch === undefined) return dir;
    log(`regenerating ${dir}: ${mismatch}`);
  } else {
    log(`generating ${dir}`);
  }
  await mkdir(cacheDir, { recursive: true });
  const logFile = `${dir}.csv`;
  await writeSyntheticLog(logFile, { events: spec.samples, meanSessionLength: spec.samplesPerSession, sessionLengthSigma: 0, buyRate: 0, seed: spec.seed });
  try {
    await generateSamples({
      inputs: [logFile],
      schema: getPreset('synthetic'),
      output: dir,
      shards: spec.shards,
      rowGroupSize: spec.rowGroupSize,
      listEncoding: spec.listEncoding,
      zstdLevel: spec.zstdLevel,
      overwrite: true,
    });
  } finally {
    await rm(logFile, { force: true });
  }
  const mismatch = manifestMismatch(await openDatasetManifest(dir), spec);
  if (mismatch !== undefined) throw new Error(`${dir}: the generated dataset does not fit its settings: ${mismatch}`);
  return dir;
}
