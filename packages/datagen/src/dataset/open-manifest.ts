import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, RecdError } from '@recd/core';
import { fsReason } from './atomic-files';
import { DatasetManifest, MANIFEST_FILE } from './manifest';
import { validateDatasetManifest } from './manifest-validate';

/**
 * Reads and validates a dataset's `manifest.json`, and checks that every shard file it lists is
 * there with the size it lists. Errors name the folder or file: a missing folder; no manifest (an
 * incomplete dataset: its writer did not finish); a manifest that is not JSON, of another format
 * or version, or malformed; a shard file missing or of the wrong size.
 */
export async function openDatasetManifest(dir: string): Promise<DatasetManifest> {
  const dirStat = await stat(dir).catch((error) => {
    throw new RecdError(`dataset folder ${dir}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : fsReason(error)}`, { cause: error });
  });
  if (!dirStat.isDirectory()) throw new RecdError(`dataset folder ${dir}: not a folder`);
  const file = join(dir, MANIFEST_FILE);
  const text = await readFile(file, 'utf8').catch((error) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new RecdError(`${dir}: no ${MANIFEST_FILE}: incomplete dataset (its writer did not finish) or not a recd dataset`, { cause: error });
    }
    throw new RecdError(`cannot read ${file}: ${fsReason(error)}`, { cause: error });
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError({ file }, `not valid JSON: ${(error as Error).message}`, { cause: error });
  }
  const manifest = validateDatasetManifest(value, file);
  for (const shard of manifest.shards) {
    const path = join(dir, shard.file);
    const shardStat = await stat(path).catch((error) => {
      const problem = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'is missing' : fsReason(error);
      throw new RecdError(`shard file ${path} (listed in ${file}) ${problem}`, { cause: error });
    });
    if (shardStat.size !== shard.bytes) {
      throw new RecdError(`shard file ${path}: expected ${shard.bytes} bytes (as ${file} lists), got ${shardStat.size}: truncated or replaced`);
    }
  }
  return manifest;
}

/** The absolute paths of a dataset's shard files, in manifest order. */
export function shardPaths(dir: string, manifest: DatasetManifest): string[] {
  return manifest.shards.map((shard) => join(dir, shard.file));
}
