import { readFile } from 'node:fs/promises';
import { CheckpointError } from './checkpoint-error';
import { DTYPES, HOST_IS_LITTLE_ENDIAN, viewOf, type Tensor } from './dtype';
import { parseSafetensorsHeader } from './safetensors-header';

export interface SafetensorsContents {
  /** By name. Each tensor views the file's buffer when its offset is aligned (always, for files this package writes), else holds a copy. */
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

/** Reads a whole safetensors file into one buffer and returns views of its tensors. */
export async function loadSafetensors(path: string): Promise<SafetensorsContents> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CheckpointError(`cannot read safetensors file "${path}": ${(error as Error).message}`, { cause: error });
  }
  return decodeSafetensors(bytes, path);
}

/**
 * Decodes safetensors bytes; `source` names them in error messages. Throws CheckpointError for a
 * truncated file, a header length beyond the file, bad JSON, an unsupported dtype, a shape that
 * does not match its byte span, or spans that overlap, leave holes or run past the data.
 */
export function decodeSafetensors(bytes: Uint8Array, source = '<bytes>'): SafetensorsContents {
  if (!HOST_IS_LITTLE_ENDIAN) throw new CheckpointError('safetensors: big-endian hosts are not supported');
  const header = parseSafetensorsHeader(bytes, source);
  const tensors: Record<string, Tensor> = Object.create(null);
  for (const { name, dtype, shape, begin, end } of header.entries) {
    const width = DTYPES[dtype].bytes;
    const byteOffset = bytes.byteOffset + header.dataStart + begin;
    const length = (end - begin) / width;
    const data =
      byteOffset % width === 0
        ? viewOf(dtype, bytes.buffer, byteOffset, length)
        : // Copy through the Uint8Array constructor: Buffer#slice (readFile returns a Buffer) is a view, not a copy.
          viewOf(dtype, new Uint8Array(bytes.subarray(header.dataStart + begin, header.dataStart + end)).buffer, 0, length);
    tensors[name] = { dtype, shape, data } as Tensor;
  }
  return { tensors, metadata: header.metadata };
}
