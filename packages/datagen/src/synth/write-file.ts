/**
 * `writeSyntheticLog`: the synthetic log into a file, atomically. The text goes to a temporary name
 * beside the target and is renamed over it only when complete, so a reader never sees half a log;
 * on any failure the temporary file is removed and the target is left as it was.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import type { SynthOptions } from './options';
import { synthesizeLog, type SynthSummary } from './synthesize';

export async function writeSyntheticLog(
  path: string,
  options: SynthOptions = {},
  onProgress?: (eventsDone: number) => void,
): Promise<SynthSummary> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx');
  let closed = false;
  try {
    const summary = await synthesizeLog(
      options,
      async (chunk) => {
        // The log is ASCII: one byte per character.
        const bytes = Buffer.from(chunk, 'latin1');
        for (let offset = 0; offset < bytes.length; ) offset += (await handle.write(bytes, offset)).bytesWritten;
      },
      onProgress,
    );
    closed = true;
    await handle.close();
    await rename(temporary, path);
    return summary;
  } catch (error) {
    if (!closed) await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}
