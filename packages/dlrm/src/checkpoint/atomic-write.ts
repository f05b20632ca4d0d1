import { randomUUID } from 'node:crypto';
import { open, rename, unlink } from 'node:fs/promises';

/** Node rejects single writes above 2 GiB; larger chunks are written in pieces of this size. */
const MAX_WRITE_BYTES = 1 << 30;

/**
 * Writes `chunks` to a temporary file next to `path`, flushes it to disk, then renames it over
 * `path`, so a reader sees the old file or the complete new one, never a partial one. On failure
 * the temporary file is removed.
 */
export async function writeFileAtomic(path: string, chunks: readonly Uint8Array[]): Promise<void> {
  const temporary = `${path}.${randomUUID()}.tmp`;
  const handle = await open(temporary, 'wx');
  try {
    let position = 0;
    for (const chunk of chunks) {
      for (let done = 0; done < chunk.length; ) {
        const length = Math.min(chunk.length - done, MAX_WRITE_BYTES);
        const { bytesWritten } = await handle.write(chunk, done, length, position);
        done += bytesWritten;
        position += bytesWritten;
      }
    }
    await handle.sync();
    await handle.close();
    await rename(temporary, path);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
