/**
 * File-system steps of an atomic dataset write: everything is written under a temporary name in
 * the target folder (same file system, so `rename` is atomic), synced, then renamed into place.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RecdError } from '@recd/core';

/** A hidden name next to `finalPath` that no reader globbing `*.parquet` or `*.json` picks up. */
export function temporaryPathFor(finalPath: string): string {
  return join(dirname(finalPath), `.${basename(finalPath)}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes `text` to `path` through a synced temporary file and a rename. */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const temporary = temporaryPathFor(path);
  try {
    const file = await open(temporary, 'wx');
    try {
      await file.writeFile(text);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => {});
    throw new RecdError(`cannot write ${path}: ${fsReason(error)}`, { cause: error });
  }
}

/**
 * Creates `dir` and any missing parents; returns the folders it created, deepest first, so an
 * abort can remove exactly those. An error names the path.
 */
export async function makeDirectory(dir: string): Promise<string[]> {
  let first: string | undefined;
  try {
    first = await mkdir(dir, { recursive: true });
  } catch (error) {
    throw new RecdError(`cannot create the dataset folder ${dir}: ${fsReason(error)}`, { cause: error });
  }
  const created: string[] = [];
  if (first === undefined) return created;
  for (let path = dir; ; path = dirname(path)) {
    created.push(path);
    if (path === first || dirname(path) === path) return created;
  }
}

/** Makes the renames in `dir` durable; best effort (some file systems cannot sync a folder). */
export async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // not supported here; the renames are still atomic, only their durability is weaker
  }
}

/** `EACCES: permission denied` rather than Node's full message with the syscall and path again. */
export function fsReason(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  if (typeof code === 'string') {
    const text = message?.match(/^[A-Z]+: ([^,]+)/)?.[1];
    return text ? `${code}: ${text}` : code;
  }
  return (error as Error)?.message ?? String(error);
}
