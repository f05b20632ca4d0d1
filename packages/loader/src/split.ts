import { RecdError } from '@recd/core';
import type { DatasetManifest } from '@recd/datagen';

export interface ResolvedSplit {
  holdout: number;
  part: 'train' | 'holdout';
}

/**
 * Checks a train/holdout split against the dataset: every shard needs at least two row groups
 * (one to train on, one to hold out), or the split would be empty on one side.
 */
export function resolveSplit(split: { holdout: number; part: 'train' | 'holdout' } | undefined, manifest: DatasetManifest): ResolvedSplit | undefined {
  if (split === undefined) return undefined;
  if (!(split.holdout > 0 && split.holdout < 1)) throw new RecdError(`dataset options: expected 0 < split.holdout < 1, got ${split.holdout}`);
  if (split.part !== 'train' && split.part !== 'holdout') throw new RecdError(`dataset options: expected split.part "train" or "holdout", got ${JSON.stringify(split.part)}`);
  const small = manifest.shards.find((shard) => shard.rowGroups < 2);
  if (small) {
    throw new RecdError(
      `dataset options: a train/holdout split needs at least 2 row groups per shard, but ${small.file} has ${small.rowGroups}; ` +
        `write the dataset with a smaller row group size (recd samples --row-group-size)`,
    );
  }
  return { holdout: split.holdout, part: split.part };
}

/** The row groups [from, to) of a shard with `rowGroups` row groups that the split keeps. */
export function splitRange(rowGroups: number, split: ResolvedSplit | undefined): [number, number] {
  if (!split) return [0, rowGroups];
  const held = Math.min(rowGroups - 1, Math.max(1, Math.round(rowGroups * split.holdout)));
  return split.part === 'train' ? [0, rowGroups - held] : [rowGroups - held, rowGroups];
}
