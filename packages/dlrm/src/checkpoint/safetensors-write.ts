import { writeFileAtomic } from './atomic-write';
import type { Tensor } from './dtype';
import { layoutSafetensors } from './safetensors-layout';

/**
 * Writes tensors (and optional string metadata) as a safetensors file, atomically: a temporary
 * file is written and synced, then renamed over `path`. Tensor bytes go straight from the typed
 * arrays to the file; nothing is concatenated in memory.
 */
export async function saveSafetensors(path: string, tensors: Readonly<Record<string, Tensor>>, metadata?: Readonly<Record<string, string>>): Promise<void> {
  const layout = layoutSafetensors(tensors, metadata);
  await writeFileAtomic(path, [layout.header, ...layout.chunks]);
}

/** The bytes of a safetensors file, in memory (copies every tensor into one buffer). */
export function encodeSafetensors(tensors: Readonly<Record<string, Tensor>>, metadata?: Readonly<Record<string, string>>): Uint8Array {
  const layout = layoutSafetensors(tensors, metadata);
  const bytes = new Uint8Array(layout.byteLength);
  bytes.set(layout.header, 0);
  let offset = layout.header.length;
  for (const chunk of layout.chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
