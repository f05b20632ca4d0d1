import { FeatureSchema } from '@recd/core';
import { SampleChunk, openDatasetManifest, shardPaths } from '@recd/datagen';
import { Dataset } from './dataset';
import { MemorySource } from './memory-source';
import { DatasetOptions, resolveOptions } from './options';
import { ParquetSource } from './parquet-source';
import { buildPlan } from './plan';
import { resolveSplit } from './split';

/**
 * Opens a sample dataset written by @recd/datagen (`manifest.json` plus Parquet shards): reads and
 * checks the manifest (every shard present with its listed size), resolves the options and the
 * transforms against the manifest's feature schema, and returns the dataset. Nothing is decoded
 * until it is iterated.
 */
export async function openDataset(dir: string, options: DatasetOptions = {}): Promise<Dataset> {
  const resolved = resolveOptions(options);
  const manifest = await openDatasetManifest(dir);
  const plan = buildPlan({
    schema: manifest.schema,
    columns: manifest.columns,
    transforms: options.transforms,
    reduceIds: options.reduceIds,
    dedup: resolved.dedup,
    shuffle: resolved.shuffle?.unit === 'session',
  });
  const split = resolveSplit(options.split, manifest);
  return new Dataset(new ParquetSource(shardPaths(dir, manifest), manifest, plan, { workers: resolved.workers, decoder: resolved.decoder, split }), plan, resolved, manifest.schema);
}

/**
 * A dataset over sample chunks already in memory (each chunk plays the part of one row group),
 * with the same pipeline as `openDataset`: for tests, and for samples that never touch disk.
 * Every chunk must have the schema's columns; transforms run on the main thread.
 */
export function datasetFromChunks(chunks: readonly SampleChunk[], schema: FeatureSchema, options: DatasetOptions = {}): Dataset {
  const resolved = resolveOptions(options);
  const columns = chunks.length > 0 ? chunks[0].columns.map(({ name, type }) => ({ name, type })) : [];
  const plan = buildPlan({ schema, columns, transforms: options.transforms, reduceIds: options.reduceIds, dedup: resolved.dedup, shuffle: resolved.shuffle?.unit === 'session' });
  return new Dataset(new MemorySource(chunks, plan), plan, resolved, schema);
}
