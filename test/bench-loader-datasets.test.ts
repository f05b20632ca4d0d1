/**
 * The loader benchmark's dataset cache: a cached dataset is reused only when its settings and the
 * generator match, and a stale one (written before datagen recorded its ZSTD level) is regenerated.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatasetManifest } from '@recd/datagen';
import { SyntheticDatasetSpec, datasetCacheKey, generatorFingerprint, manifestMismatch, syntheticDataset } from '../bench/loader-datasets';

const root = mkdtempSync(join(tmpdir(), 'recd-bench-loader-cache-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const spec: SyntheticDatasetSpec = { samplesPerSession: 4, samples: 2048, rowGroupSize: 512, shards: 2, seed: 1 };

describe('datasetCacheKey', () => {
  test('changes with every setting and with the generator, and only with them', () => {
    const base = datasetCacheKey(spec, 'g1');
    expect(datasetCacheKey({ ...spec }, 'g1')).toBe(base);
    const variants: SyntheticDatasetSpec[] = [
      { ...spec, samplesPerSession: 8 },
      { ...spec, samples: 4096 },
      { ...spec, rowGroupSize: 1024 },
      { ...spec, shards: 4 },
      { ...spec, seed: 2 },
      { ...spec, listEncoding: 'dictionary' },
      { ...spec, listEncoding: 'plain' },
      { ...spec, zstdLevel: 1 },
    ];
    const keys = new Set([base, datasetCacheKey(spec, 'g2'), ...variants.map((v) => datasetCacheKey(v, 'g1'))]);
    expect(keys.size).toBe(variants.length + 2);
  });

  test('the generator fingerprint is stable between calls', () => {
    expect(generatorFingerprint()).toMatch(/^[0-9a-f]{16}$/);
    expect(generatorFingerprint()).toBe(generatorFingerprint());
  });
});

describe('syntheticDataset', () => {
  test('generates once, reuses a matching dataset, regenerates a stale one', async () => {
    const messages: string[] = [];
    const dir = await syntheticDataset(root, spec, (m) => messages.push(m), 'g1');
    const manifest = await openDatasetManifest(dir);
    expect(manifestMismatch(manifest, spec)).toBeUndefined();
    expect(manifest.zstdLevel).toBeGreaterThanOrEqual(1);
    expect(manifest.rows).toBe(spec.samples);
    expect(messages).toEqual([`generating ${dir}`]);

    const written = statSync(join(dir, 'manifest.json')).mtimeMs;
    expect(await syntheticDataset(root, spec, (m) => messages.push(m), 'g1')).toBe(dir);
    expect(messages).toHaveLength(1);
    expect(statSync(join(dir, 'manifest.json')).mtimeMs).toBe(written);

    // a manifest as written before datagen recorded its level: regenerated, not measured
    const stale = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
    delete stale.zstdLevel;
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify(stale));
    expect(await syntheticDataset(root, spec, (m) => messages.push(m), 'g1')).toBe(dir);
    expect(messages[1]).toMatch(/^regenerating .*no zstdLevel/);
    expect((await openDatasetManifest(dir)).zstdLevel).toBe(manifest.zstdLevel);

    // another generator: another folder
    expect(await syntheticDataset(root, spec, () => undefined, 'g2')).not.toBe(dir);
  });

  test('manifestMismatch names what differs', async () => {
    const manifest = await openDatasetManifest(await syntheticDataset(root, spec, () => undefined, 'g1'));
    expect(manifestMismatch({ ...manifest, rows: 1 }, spec)).toMatch(/rows 1/);
    expect(manifestMismatch({ ...manifest, rowGroupSize: 7 }, spec)).toMatch(/rowGroupSize 7/);
    expect(manifestMismatch(manifest, { ...spec, zstdLevel: manifest.zstdLevel! + 1 })).toMatch(/zstdLevel/);
    expect(manifestMismatch({ ...manifest, codec: 'snappy' }, spec)).toMatch(/codec snappy/);
  });
});
