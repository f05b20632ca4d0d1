import { excerpt } from '@recd/core';
import { CheckpointError } from './checkpoint-error';
import { DTYPES, elementCount, isDType, type DType } from './dtype';

/** Headers larger than this are rejected before parsing (the reference implementation's limit). */
export const MAX_HEADER_BYTES = 100_000_000;

export interface TensorEntry {
  name: string;
  dtype: DType;
  shape: number[];
  /** Byte offsets relative to the data section. */
  begin: number;
  end: number;
}

export interface SafetensorsHeader {
  /** Absolute byte offset of the data section: 8 + header length. */
  dataStart: number;
  entries: TensorEntry[];
  metadata: Record<string, string>;
}

/**
 * Reads and checks a safetensors header against the whole file's bytes: the length prefix fits
 * the file, the JSON is an object of well-formed entries with supported dtypes, every tensor's
 * byte span matches its shape, and the spans tile the data section exactly (no overlap, no hole,
 * nothing out of range), as the format requires.
 */
export function parseSafetensorsHeader(bytes: Uint8Array, source: string): SafetensorsHeader {
  const fail = (problem: string): never => {
    throw new CheckpointError(`${source}: ${problem}`);
  };
  if (bytes.length < 8) fail(`truncated: ${bytes.length} bytes, but a safetensors file starts with an 8-byte header length`);
  const declared = new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true);
  if (declared > BigInt(bytes.length - 8)) {
    fail(`header length ${declared} runs past the end of the file (${bytes.length - 8} bytes follow the length prefix; truncated?)`);
  }
  const headerLength = Number(declared);
  if (headerLength > MAX_HEADER_BYTES) fail(`header length ${headerLength} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;

  let text = '';
  let parsed: unknown;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, dataStart));
    parsed = JSON.parse(text);
  } catch (error) {
    fail(`header is not UTF-8 JSON (${(error as Error).message}): ${excerpt(text)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail(`header must be a JSON object, got ${excerpt(text)}`);
  const fields = parsed as Record<string, unknown>;

  const metadata = readMetadata(fields.__metadata__, fail);
  const entries: TensorEntry[] = [];
  for (const name of Object.keys(fields)) {
    if (name !== '__metadata__') entries.push(readEntry(name, fields[name], dataLength, fail));
  }
  checkTiling(entries, dataLength, fail);
  return { dataStart, entries, metadata };
}

type Fail = (problem: string) => never;

function readMetadata(value: unknown, fail: Fail): Record<string, string> {
  const metadata: Record<string, string> = Object.create(null);
  if (value === undefined) return metadata;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`"__metadata__" must be an object of strings, got ${excerpt(JSON.stringify(value))}`);
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
    if (typeof item !== 'string') fail(`"__metadata__" entry "${key}" must be a string, got ${excerpt(JSON.stringify(item))}`);
    metadata[key] = item as string;
  }
  return metadata;
}

function readEntry(name: string, value: unknown, dataLength: number, fail: Fail): TensorEntry {
  const where = `tensor "${name}"`;
  if (typeof value !== 'object' || value === null) fail(`${where}: expected {dtype, shape, data_offsets}, got ${excerpt(JSON.stringify(value))}`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (!isDType(dtype)) fail(`${where}: unsupported dtype ${JSON.stringify(dtype)} (supported: ${Object.keys(DTYPES).join(', ')})`);
  const count = elementCount(shape);
  if (count < 0) fail(`${where}: shape must be an array of non-negative integers, got ${excerpt(JSON.stringify(shape))}`);
  const validOffsets = Array.isArray(offsets) && offsets.length === 2 && offsets.every((x) => Number.isSafeInteger(x) && x >= 0) && offsets[0] <= offsets[1];
  if (!validOffsets) fail(`${where}: data_offsets must be [begin, end] with 0 <= begin <= end, got ${excerpt(JSON.stringify(offsets))}`);
  const [begin, end] = offsets as number[];
  if (end > dataLength) fail(`${where}: data_offsets [${begin}, ${end}] run past the ${dataLength}-byte data section (truncated?)`);
  const bytes = count * DTYPES[dtype as DType].bytes;
  if (end - begin !== bytes) {
    fail(`${where}: shape [${(shape as number[]).join(', ')}] of ${dtype} needs ${bytes} bytes but data_offsets [${begin}, ${end}] span ${end - begin}`);
  }
  return { name, dtype: dtype as DType, shape: shape as number[], begin, end };
}

function checkTiling(entries: TensorEntry[], dataLength: number, fail: Fail): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  let previous: TensorEntry | undefined;
  for (const entry of sorted) {
    if (entry.begin < covered) {
      fail(`tensors "${previous!.name}" [${previous!.begin}, ${previous!.end}] and "${entry.name}" [${entry.begin}, ${entry.end}] overlap`);
    }
    if (entry.begin > covered) fail(`data bytes [${covered}, ${entry.begin}) belong to no tensor (the format allows no holes)`);
    covered = entry.end;
    previous = entry;
  }
  if (covered !== dataLength) fail(`data section has ${dataLength} bytes but the tensors cover only ${covered}`);
}
