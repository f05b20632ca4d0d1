import { CheckpointError } from './checkpoint-error';
import { DTYPES, elementCount, isDType, type Tensor } from './dtype';

/** The header (8-byte length plus padded JSON) and, in file order, views of each tensor's bytes. */
export interface SafetensorsLayout {
  header: Uint8Array;
  chunks: Uint8Array[];
  byteLength: number;
}

/**
 * Lays out a safetensors file without copying tensor data. Tensors are stored 8-byte dtypes first,
 * then by name, with no gaps, so every tensor is aligned to its element size (the data section
 * starts at a multiple of 8), which is also the order the reference Rust writer uses. The JSON
 * header is padded with spaces to a multiple of 8 bytes.
 */
export function layoutSafetensors(tensors: Readonly<Record<string, Tensor>>, metadata?: Readonly<Record<string, string>>): SafetensorsLayout {
  const names = Object.keys(tensors);
  for (const name of names) checkTensor(name, tensors[name]);
  names.sort((a, b) => DTYPES[tensors[b].dtype].bytes - DTYPES[tensors[a].dtype].bytes || (a < b ? -1 : a > b ? 1 : 0));

  const header: Record<string, unknown> = {};
  if (metadata !== undefined && Object.keys(metadata).length > 0) header.__metadata__ = checkMetadata(metadata);
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const name of names) {
    const { dtype, shape, data } = tensors[name];
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    header[name] = { dtype, shape: [...shape], data_offsets: [offset, offset + bytes.length] };
    chunks.push(bytes);
    offset += bytes.length;
  }

  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerLength = Math.ceil(json.length / 8) * 8;
  const headerBytes = new Uint8Array(8 + headerLength).fill(0x20, 8 + json.length);
  new DataView(headerBytes.buffer).setBigUint64(0, BigInt(headerLength), true);
  headerBytes.set(json, 8);
  return { header: headerBytes, chunks, byteLength: headerBytes.length + offset };
}

function checkTensor(name: string, tensor: Tensor): void {
  if (name === '' || name === '__metadata__') throw new CheckpointError(`tensor name ${JSON.stringify(name)} is reserved or empty`);
  if (!isDType(tensor.dtype)) throw new CheckpointError(`tensor "${name}": unknown dtype ${JSON.stringify(tensor.dtype)} (supported: ${Object.keys(DTYPES).join(', ')})`);
  const { array } = DTYPES[tensor.dtype];
  if (!(tensor.data instanceof array)) {
    throw new CheckpointError(`tensor "${name}": dtype ${tensor.dtype} needs a ${array.name}, got ${tensor.data?.constructor?.name ?? typeof tensor.data}`);
  }
  const count = elementCount(tensor.shape);
  if (count < 0) throw new CheckpointError(`tensor "${name}": shape must be non-negative integers, got ${JSON.stringify(tensor.shape)}`);
  if (count !== tensor.data.length) {
    throw new CheckpointError(`tensor "${name}": shape [${tensor.shape.join(', ')}] has ${count} elements but data has ${tensor.data.length}`);
  }
}

function checkMetadata(metadata: Readonly<Record<string, string>>): Record<string, string> {
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value !== 'string') throw new CheckpointError(`metadata "${key}": values must be strings, got ${typeof value}`);
  }
  return { ...metadata };
}
