/**
 * `writeSyntheticLog`: the synthetic log into a file, atomically. The text goes to a temporary name
 * beside the target and is renamed over it only when complete, so a reader never sees half a log;
 * on any failure the temporary file is removed and the target is left as it was.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import type { SynthOptions } from './options';
import { synthesizeLog, type SynthSummary } from './synthesize';

export async function writeSyntheticLog(
  path: string,
  options: SynthOptions = {},
  onProgress?: (eventsDone: number) => void,
): Promise<SynthSummary> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx');
  // One write in flight while the next chunk is generated: the disk works while the CPU does.
  let inFlight: Promise<void> = Promise.resolve();
  let closed = false;
  try {
    const summary = await synthesizeLog(
      options,
      async (chunk) => {
        await inFlight;
        inFlight = writeAll(handle, Buffer.from(chunk, 'latin1'));
        // Marked handled here; whoever awaits it next still gets the error.
        inFlight.catch(() => undefined);
      },
      onProgress,
    );
    await inFlight;
    closed = true;
    await handle.close();
    await rename(temporary, path);
    return summary;
  } catch (error) {
    await inFlight.catch(() => undefined);
    if (!closed) await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}

async function writeAll(handle: FileHandle, bytes: Buffer): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) offset += (await handle.write(bytes, offset)).bytesWritten;
}
