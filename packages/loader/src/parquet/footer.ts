/**
 * A Parquet file's footer (FileMetaData): its leaf columns with their definition and repetition
 * levels, and per row group where each column chunk lies and how it is encoded. Field ids are those
 * of parquet.thrift; only what reading the loader's columns needs is kept.
 */
import { ThriftReader, ThriftStruct, field, int64Field, isBinary, isList, isNumber, isStruct } from './thrift-compact';

export const enum PhysicalType {
  Boolean = 0,
  Int32 = 1,
  Int64 = 2,
  Int96 = 3,
  Float = 4,
  Double = 5,
  ByteArray = 6,
  FixedLenByteArray = 7,
}
const PHYSICAL_NAMES = ['BOOLEAN', 'INT32', 'INT64', 'INT96', 'FLOAT', 'DOUBLE', 'BYTE_ARRAY', 'FIXED_LEN_BYTE_ARRAY'];

const REQUIRED = 0;
const REPEATED = 2;
/** ConvertedType INT_64 (a signed 64-bit integer, what an unannotated INT64 is too). */
const CONVERTED_INT_64 = 18;

export interface ParquetLeaf {
  /** Names from the root, e.g. ['user_history', 'list', 'element']. */
  path: string[];
  physicalType: PhysicalType;
  /** An INT64 with no annotation but signed 64-bit integer (not a timestamp, not unsigned). */
  plainInteger: boolean;
  maxDefinition: number;
  maxRepetition: number;
  /** Definition level at which the innermost repeated group is present (lists: an empty list is one less). */
  repeatedDefinition: number;
}

export interface ColumnChunkMeta {
  path: string[];
  physicalType: PhysicalType;
  codec: number;
  encodings: number[];
  /** Level entries in the chunk (values plus empty lists and nulls). */
  numValues: number;
  /** Byte range of the chunk's pages in the file (dictionary page first, when there is one). */
  start: number;
  length: number;
}

export interface RowGroupMeta {
  rows: number;
  columns: ColumnChunkMeta[];
}

export interface ParquetFooter {
  rows: number;
  leaves: ParquetLeaf[];
  rowGroups: RowGroupMeta[];
}

const MAGIC = 0x31524150; // "PAR1" read as a little-endian uint32

/** Reads and parses the footer of a Parquet file (a file-backed Blob, see shard-reader). */
export async function readFooter(file: Blob): Promise<ParquetFooter> {
  const size = file.size;
  if (size < 12) throw new Error(`not a Parquet file: ${size} bytes`);
  // one read that most footers fit in; a second one when the metadata is longer
  const guess = Math.min(size, FOOTER_GUESS_BYTES);
  let tail = await readRange(file, size - guess, guess);
  const view = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);
  const metadataLength = view.getUint32(guess - 8, true);
  if (view.getUint32(guess - 4, true) !== MAGIC) throw new Error('not a Parquet file: no "PAR1" at the end (truncated?)');
  if (metadataLength + 12 > size) throw new Error(`the footer claims ${metadataLength} bytes of metadata in a file of ${size} bytes (truncated?)`);
  if (metadataLength + 8 > guess) tail = await readRange(file, size - 8 - metadataLength, metadataLength + 8);
  const metadata = tail.subarray(tail.length - 8 - metadataLength, tail.length - 8);
  return parseFooter(new ThriftReader(metadata).readStruct(), size - 8 - metadataLength);
}

const FOOTER_GUESS_BYTES = 64 * 1024;

/** `length` bytes of `file` from `position`; a short read means the file is shorter than its metadata says. */
export async function readRange(file: Blob, position: number, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(await file.slice(position, position + length).arrayBuffer());
  if (bytes.length !== length) throw new Error(`the file ends before byte ${position + length} (truncated?)`);
  return bytes;
}

function parseFooter(meta: ThriftStruct, metadataStart: number): ParquetFooter {
  const schema = field(meta, 2, 'schema', isList).map((element) => {
    if (!isStruct(element)) throw new Error('Parquet metadata: a schema element is not a struct');
    return element;
  });
  const leaves = flattenSchema(schema);
  const rowGroups = field(meta, 4, 'row_groups', isList).map((group): RowGroupMeta => {
    if (!isStruct(group)) throw new Error('Parquet metadata: a row group is not a struct');
    const columns = field(group, 1, 'columns', isList).map((chunk) => columnChunkOf(chunk as ThriftStruct, metadataStart));
    if (columns.length !== leaves.length) throw new Error(`Parquet metadata: a row group has ${columns.length} column chunks, the schema ${leaves.length} leaf columns`);
    return { rows: int64Field(group, 3, 'num_rows'), columns };
  });
  return { rows: int64Field(meta, 3, 'num_rows'), leaves, rowGroups };
}

function columnChunkOf(chunk: ThriftStruct, metadataStart: number): ColumnChunkMeta {
  if (!isStruct(chunk)) throw new Error('Parquet metadata: a column chunk is not a struct');
  if (chunk.get(1) !== undefined) throw new Error('Parquet metadata: column chunks in other files (file_path) are not supported');
  const meta = field(chunk, 3, 'meta_data', isStruct);
  const path = field(meta, 3, 'path_in_schema', isList).map((name) => new TextDecoder().decode(name as Uint8Array));
  const dataPage = int64Field(meta, 9, 'data_page_offset');
  const dictionaryPage = meta.has(11) ? int64Field(meta, 11, 'dictionary_page_offset') : undefined;
  // some writers store a dictionary_page_offset of 0 meaning "none"
  const start = dictionaryPage !== undefined && dictionaryPage > 0 && dictionaryPage < dataPage ? dictionaryPage : dataPage;
  const length = int64Field(meta, 7, 'total_compressed_size');
  if (start < 4 || start + length > metadataStart) throw new Error(`Parquet metadata: column ${path.join('.')} claims bytes ${start}..${start + length}, outside the data (${4}..${metadataStart})`);
  return {
    path,
    physicalType: field(meta, 1, 'type', isNumber),
    codec: field(meta, 4, 'codec', isNumber),
    encodings: field(meta, 2, 'encodings', isList) as number[],
    numValues: int64Field(meta, 5, 'num_values'),
    start,
    length,
  };
}

/** Depth-first schema elements -> leaf columns with their levels. */
function flattenSchema(schema: ThriftStruct[]): ParquetLeaf[] {
  const leaves: ParquetLeaf[] = [];
  let next = 1; // element 0 is the root
  const walk = (path: string[], definition: number, repetition: number, repeatedDefinition: number): void => {
    const element = schema[next++];
    if (element === undefined) throw new Error('Parquet metadata: the schema ends early');
    const name = new TextDecoder().decode(field(element, 4, 'name', isBinary));
    const kind = element.get(3) ?? REQUIRED;
    const def = kind === REQUIRED ? definition : definition + 1;
    const rep = kind === REPEATED ? repetition + 1 : repetition;
    const repDef = kind === REPEATED ? def : repeatedDefinition;
    const children = element.get(5);
    if (typeof children === 'number' && children > 0) {
      for (let c = 0; c < children; c++) walk([...path, name], def, rep, repDef);
      return;
    }
    const physicalType = field(element, 1, 'type', isNumber) as PhysicalType;
    const converted = element.get(6);
    const logical = element.get(10);
    // LogicalType is a union: field 10 is INTEGER { bitWidth, isSigned }
    const integer = logical instanceof Map ? logical.get(10) : undefined;
    const signed64 = logical === undefined || (integer instanceof Map && integer.get(1) === 64 && integer.get(2) === true);
    leaves.push({
      path: [...path, name],
      physicalType,
      plainInteger: physicalType === PhysicalType.Int64 && (converted === undefined || converted === CONVERTED_INT_64) && signed64,
      maxDefinition: def,
      maxRepetition: rep,
      repeatedDefinition: repDef,
    });
  };
  const root = schema[0];
  const rootChildren = root?.get(5);
  if (typeof rootChildren !== 'number') throw new Error('Parquet metadata: the schema has no root');
  for (let c = 0; c < rootChildren; c++) walk([], 0, 0, 0);
  return leaves;
}

/** A leaf's type in words, for errors: `INT64`, `list<INT64>`, `DOUBLE`, `struct`. */
export function describeLeaves(leaves: readonly ParquetLeaf[]): string {
  if (leaves.length !== 1) return 'struct';
  const [leaf] = leaves;
  const physical = PHYSICAL_NAMES[leaf.physicalType] ?? `type ${leaf.physicalType}`;
  const annotated = leaf.physicalType === PhysicalType.Int64 && !leaf.plainInteger ? `${physical} (annotated: not a signed 64-bit integer)` : physical;
  if (leaf.maxRepetition === 0) return annotated;
  return leaf.maxRepetition === 1 ? `list<${annotated}>` : `nested lists of ${annotated}`;
}
