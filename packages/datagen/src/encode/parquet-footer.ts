import { ThriftStruct, readThriftStruct, thriftField } from './thrift-compact';

/**
 * The Parquet footer: `FileMetaData` (Thrift compact), its length (4 bytes, little-endian) and
 * the magic `PAR1`. Field ids are those of parquet.thrift.
 */
export const PARQUET_MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]);

export const FileMetaDataField = { numRows: 3, rowGroups: 4 } as const;
export const RowGroupField = { columns: 1, numRows: 3, fileOffset: 5, totalCompressedSize: 6, ordinal: 7 } as const;
export const ColumnChunkField = {
  fileOffset: 2,
  metaData: 3,
  offsetIndexOffset: 4,
  offsetIndexLength: 5,
  columnIndexOffset: 6,
  columnIndexLength: 7,
} as const;
export const ColumnMetaDataField = {
  codec: 4,
  totalUncompressedSize: 6,
  totalCompressedSize: 7,
  dataPageOffset: 9,
  indexPageOffset: 10,
  dictionaryPageOffset: 11,
  bloomFilterOffset: 14,
} as const;
export const OffsetIndexField = { pageLocations: 1 } as const;
export const PageLocationField = { offset: 1, compressedPageSize: 2 } as const;

/** A whole Parquet file's footer, parsed; `footerStart` is where FileMetaData begins. */
export function readParquetFooter(file: Uint8Array, where: string): { metadata: ThriftStruct; footerStart: number } {
  const n = file.length;
  const magicOk = n >= 12 && PARQUET_MAGIC.every((byte, i) => file[i] === byte && file[n - 4 + i] === byte);
  if (!magicOk) throw new Error(`${where}: not a Parquet file (no PAR1 magic at both ends)`);
  const length = new DataView(file.buffer, file.byteOffset + n - 8, 4).getUint32(0, true);
  const footerStart = n - 8 - length;
  if (footerStart < 4) throw new Error(`${where}: footer length ${length} exceeds the file (${n} bytes)`);
  const { struct } = readThriftStruct(file, footerStart);
  return { metadata: struct, footerStart };
}

/** The value of field `id` as a bigint (i64), or undefined. */
export function i64Field(struct: ThriftStruct, id: number): bigint | undefined {
  const field = thriftField(struct, id);
  return field === undefined ? undefined : (field.value as bigint);
}

/** The value of field `id` as a number (i16/i32), or undefined. */
export function i32Field(struct: ThriftStruct, id: number): number | undefined {
  const field = thriftField(struct, id);
  return field === undefined ? undefined : (field.value as number);
}

/** Sets an existing field's value (the field must be present: the layout is not invented). */
export function setField(struct: ThriftStruct, id: number, value: bigint | number): void {
  const field = thriftField(struct, id);
  if (field === undefined) throw new Error(`parquet footer: expected field ${id}, it is absent`);
  field.value = value;
}

/** The bytes a column chunk's `offsetId`/`lengthId` fields point at (an index), or undefined. */
export function rangeOf(file: Uint8Array, column: ThriftStruct, offsetId: number, lengthId: number): Uint8Array | undefined {
  const offset = i64Field(column, offsetId);
  const length = i32Field(column, lengthId);
  if (offset === undefined || length === undefined) return undefined;
  return file.subarray(Number(offset), Number(offset) + length);
}
