import { RecdError } from '@recd/core';
import { DuplicationCounter, DuplicationStats } from './duplication-counter';
import type { Codec, SampleOrder } from './manifest';
import type { SampleColumnType } from './sample-chunk';
import { openDatasetManifest, shardPaths } from './open-manifest';
import { readParquetLayout } from './parquet-layout';
import { readShardChunks } from './read-shard';

export interface InspectOptions {
  /** Batch sizes to measure in-batch duplication for (default [256, 4096]). */
  batchSizes?: readonly number[];
}

/** Bytes of one column, from the Parquet column-chunk metadata summed over row groups and shards. */
export interface ColumnStorage {
  name: string;
  type: SampleColumnType;
  compressedBytes: number;
  uncompressedBytes: number;
  /** compressedBytes / rows. */
  bytesPerSample: number;
}

export interface DatasetInspection {
  rows: number;
  sessions: number;
  shards: number;
  rowGroups: number;
  /** Sum of the shard file sizes (data, page headers and footers). */
  bytes: number;
  bytesPerSample: number;
  codec: Codec;
  order: SampleOrder;
  rowGroupSize: number;
  columns: ColumnStorage[];
  duplication: {
    batchSizes: number[];
    /** One per session-constant feature (a schema feature with a dedupGroup), in schema order. */
    features: DuplicationStats[];
    /** One per dedup group, its features taken jointly as one row. */
    groups: DuplicationStats[];
  };
}

/**
 * A dataset's sizes and duplication: what RecD's gains rest on. Sizes come from the manifest and
 * the Parquet footers; duplication streams the session-constant columns once, in stored order
 * (shard by shard, batches not spanning shards), counting distinct values exactly. Memory is the
 * distinct rows, not the dataset.
 */
export async function inspectDataset(dir: string, options: InspectOptions = {}): Promise<DatasetInspection> {
  const batchSizes = [...(options.batchSizes ?? [256, 4096])];
  for (const size of batchSizes) {
    if (!Number.isSafeInteger(size) || size < 1) throw new RecdError(`inspectDataset: expected positive integer batch sizes, got ${size}`);
  }
  const manifest = await openDatasetManifest(dir);
  const paths = shardPaths(dir, manifest);
  const { rows } = manifest;
  const columnBytes = new Map(manifest.columns.map(({ name }) => [name, { compressed: 0, uncompressed: 0 }]));
  let rowGroups = 0;
  for (const path of paths) {
    const layout = await readParquetLayout(path);
    rowGroups += layout.rowGroupRows.length;
    for (const column of layout.columns) {
      const bytes = columnBytes.get(column.name);
      if (bytes === undefined) continue;
      bytes.compressed += column.compressedBytes;
      bytes.uncompressed += column.uncompressedBytes;
    }
  }

  const groupKeys = new Map<string, string[]>();
  for (const feature of manifest.schema.features) {
    if (feature.dedupGroup !== undefined) groupKeys.set(feature.dedupGroup, [...(groupKeys.get(feature.dedupGroup) ?? []), feature.name]);
  }
  const counter = new DuplicationCounter(groupKeys, batchSizes);
  const columns = counter.columns;
  if (columns.length > 0) {
    for (const path of paths) {
      for await (const chunk of readShardChunks(path, { columns })) {
        counter.add(new Map(chunk.columns.map((column) => [column.name, column])), chunk.length);
      }
      counter.endShard();
    }
  }

  const bytes = manifest.shards.reduce((sum, shard) => sum + shard.bytes, 0);
  return {
    rows,
    sessions: manifest.sessions,
    shards: manifest.shards.length,
    rowGroups,
    bytes,
    bytesPerSample: rows === 0 ? 0 : bytes / rows,
    codec: manifest.codec,
    order: manifest.order,
    rowGroupSize: manifest.rowGroupSize,
    columns: manifest.columns.map(({ name, type }) => {
      const { compressed, uncompressed } = columnBytes.get(name)!;
      return { name, type, compressedBytes: compressed, uncompressedBytes: uncompressed, bytesPerSample: rows === 0 ? 0 : compressed / rows };
    }),
    duplication: { batchSizes, ...counter.result() },
  };
}
