import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { RecdError } from '@recd/core';
import { fsReason } from './atomic-files';
import { MANIFEST_FILE } from './manifest';

/**
 * Makes room for a new dataset in `dir`. A folder with a manifest holds a complete dataset: it is
 * refused unless `overwrite`, and then its manifest is removed first (so from that moment the old
 * dataset no longer looks complete), then the shard files the manifest listed. A folder without a
 * manifest holds at most an incomplete dataset, which is not protected.
 */
export async function clearExistingDataset(dir: string, overwrite: boolean): Promise<void> {
  const manifestPath = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new RecdError(`cannot read ${manifestPath}: ${fsReason(error)}`, { cause: error });
  }
  if (!overwrite) throw new RecdError(`${dir} already holds a dataset (${MANIFEST_FILE} exists); pass overwrite to replace it`);
  try {
    await rm(manifestPath);
    for (const file of shardFilesListedIn(text)) await rm(join(dir, file), { force: true });
  } catch (error) {
    throw new RecdError(`cannot remove the old dataset in ${dir}: ${fsReason(error)}`, { cause: error });
  }
}

/** Shard file names of a manifest, leniently: an unreadable manifest lists none. */
function shardFilesListedIn(text: string): string[] {
  try {
    const shards = (JSON.parse(text) as { shards?: unknown }).shards;
    if (!Array.isArray(shards)) return [];
    return shards.map((shard) => (shard as { file?: unknown })?.file).filter(isPlainFileName);
  } catch {
    return [];
  }
}

/** A name inside the dataset folder: no separators, not `.` or `..`. */
export function isPlainFileName(name: unknown): name is string {
  return typeof name === 'string' && name.length > 0 && name !== '.' && name !== '..' && !/[\\/]/.test(name);
}
