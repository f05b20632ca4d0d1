import type { ColumnEncoding } from '../../dataset/parquet-settings';
import type { SampleChunk } from '../../dataset/sample-chunk';
import type { EncoderChunk } from '../../samples/stretch-assembler';
import { FileMetaDataField, PARQUET_MAGIC } from '../parquet-footer';
import { ThriftField, ThriftStruct, WireType, readThriftStruct, thriftField, writeThriftStruct } from '../thrift-compact';
import { ColumnChunkSettings, encodeColumnChunk } from './column-chunk-encoder';
import { field, struct } from './thrift-build';

/** What every row group file of a shard shares: the footer's schema fields, taken from a template. */
export interface RowGroupFileSettings extends ColumnChunkSettings {
  /** A FileMetaData (Thrift compact) whose version, schema and key-value metadata the files copy. */
  footerTemplate: Uint8Array;
  /** Per column (by name), its encoding; list columns take `plain` or `dictionary`. */
  encodings: Readonly<Record<string, ColumnEncoding>>;
}

export { zstdCompressor } from '../zstd-compressor';
export { StretchAssembler } from '../../samples/stretch-assembler';

/** The list columns a row group file writes PLAIN: their values can stay in pieces (`StretchAssembler.takeForEncoder`). */
export function plainListColumns(columns: readonly { name: string; type: string }[], encodings: Readonly<Record<string, ColumnEncoding>>): Set<string> {
  return new Set(columns.filter(({ name, type }) => type === 'list<int64>' && encodings[name] === 'plain').map(({ name }) => name));
}
export { warmUpEncoder } from './warm-up';
export { nativeEncodingTrial } from './native-trial';

/** What the files name as their writer (readers key known writer bugs on it). */
export const NATIVE_CREATED_BY = 'recd-datagen version 0.1.0';

/**
 * One row group as a complete Parquet file (magic, column chunks, footer), as ParquetStitcher
 * joins them: the footer copies the template's version, schema and key-value metadata (the Arrow
 * schema parquet-rs stores), and sets every column's sort order to the type's own.
 */
export function encodeRowGroupFile(chunk: EncoderChunk, settings: RowGroupFileSettings): Uint8Array {
  const template = readThriftStruct(settings.footerTemplate).struct;
  const pieces: Uint8Array[] = [PARQUET_MAGIC];
  let at = PARQUET_MAGIC.length;
  let uncompressed = 0n;
  const columns: ThriftStruct[] = [];
  for (const column of chunk.columns) {
    const encoding = settings.encodings[column.name];
    if (encoding === undefined) throw new Error(`native Parquet encoder: no encoding for column ${JSON.stringify(column.name)}`);
    const encoded = encodeColumnChunk(column, chunk.length, encoding, settings, at);
    pieces.push(...encoded.pieces);
    at += encoded.bytes;
    uncompressed += thriftField(encoded.meta, 6)!.value as bigint;
    columns.push(struct([field.i64(2, 0), { id: 3, type: WireType.Struct, value: encoded.meta }]));
  }
  const rowGroup = struct([
    field.list(1, WireType.Struct, columns),
    field.i64(2, uncompressed),
    field.i64(3, chunk.length),
    field.i64(5, PARQUET_MAGIC.length),
    field.i64(6, at - PARQUET_MAGIC.length),
    field.i16(7, 0),
  ]);
  const copied = (id: number): ThriftField | undefined => thriftField(template, id);
  const leaves = chunk.columns.length;
  const metadata = struct([
    copied(1),
    copied(2),
    field.i64(FileMetaDataField.numRows, chunk.length),
    field.list(FileMetaDataField.rowGroups, WireType.Struct, [rowGroup]),
    copied(5),
    field.binary(6, new TextEncoder().encode(NATIVE_CREATED_BY)),
    field.list(7, WireType.Struct, Array.from({ length: leaves }, () => struct([field.struct(1, [])]))),
  ]);
  const footer = writeThriftStruct(metadata);
  const trailer = new Uint8Array(8);
  new DataView(trailer.buffer).setUint32(0, footer.length, true);
  trailer.set(PARQUET_MAGIC, 4);
  pieces.push(footer, trailer);
  const file = new Uint8Array(at + footer.length + trailer.length);
  let offset = 0;
  for (const piece of pieces) {
    file.set(piece, offset);
    offset += piece.length;
  }
  return file;
}

/** The distinct buffers under a chunk's arrays (to transfer it to or from a worker), SharedArrayBuffers left out (they are shared). */
export function chunkBuffers(chunk: SampleChunk): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const column of chunk.columns) {
    for (const array of column.type === 'list<int64>' ? [column.values, column.offsets] : [column.values]) {
      if (array.buffer instanceof ArrayBuffer) buffers.add(array.buffer);
    }
  }
  return [...buffers];
}
