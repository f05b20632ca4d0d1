import {
  ColumnChunkField,
  ColumnMetaDataField,
  FileMetaDataField,
  OffsetIndexField,
  PARQUET_MAGIC,
  PageLocationField,
  RowGroupField,
  i32Field,
  i64Field,
  rangeOf,
  readParquetFooter,
  setField,
} from './parquet-footer';
import { ThriftList, ThriftStruct, WireType, readThriftStruct, thriftField, writeThriftStruct } from './thrift-compact';

/**
 * Joins Parquet files of one row group each (encoded separately, e.g. in worker threads) into the
 * file the parquet crate would have written had it received all their rows in one stream: the
 * row groups' bytes one after another, then every column index (row group by row group), every
 * offset index, and the footer. Offsets in the footer and in the offset indexes are shifted to
 * the row groups' new places, and row-group ordinals renumbered; nothing else changes, so the
 * result is byte for byte the sequential writer's (tests compare the two).
 *
 * Streaming: `add` returns the bytes to append now (the magic, then the row group's data), and
 * keeps only the part's footer and indexes (kilobytes); `finish` returns the tail.
 */
export class ParquetStitcher {
  #position = 0;
  #metadata: ThriftStruct | undefined;
  readonly #rowGroups: ThriftStruct[] = [];
  /** Per row group, per column: the column index bytes (copied as they are) or undefined. */
  readonly #columnIndexes: (Uint8Array | undefined)[][] = [];
  /** Per row group, per column: the parsed offset index (page offsets already shifted) or undefined. */
  readonly #offsetIndexes: (ThriftStruct | undefined)[][] = [];
  #rows = 0n;

  /** Bytes written so far (what `add`'s results add up to). */
  get position(): number {
    return this.#position;
  }

  /** Takes one complete Parquet file holding exactly one row group; returns the bytes to append. */
  add(file: Uint8Array, where: string): Uint8Array[] {
    const { metadata, footerStart } = readParquetFooter(file, where);
    const groups = (thriftField(metadata, FileMetaDataField.rowGroups)?.value as ThriftList | undefined)?.items ?? [];
    if (groups.length !== 1) throw new Error(`${where}: expected one row group to stitch, got ${groups.length}`);
    const group = groups[0] as ThriftStruct;
    const columns = (thriftField(group, RowGroupField.columns)!.value as ThriftList).items as ThriftStruct[];
    let dataEnd = footerStart;
    for (const column of columns) {
      for (const id of [ColumnChunkField.columnIndexOffset, ColumnChunkField.offsetIndexOffset]) {
        const offset = i64Field(column, id);
        if (offset !== undefined) dataEnd = Math.min(dataEnd, Number(offset));
      }
      const meta = thriftField(column, ColumnChunkField.metaData)?.value as ThriftStruct | undefined;
      if (meta && i64Field(meta, ColumnMetaDataField.bloomFilterOffset) !== undefined) throw new Error(`${where}: cannot stitch files with bloom filters`);
    }
    const pieces: Uint8Array[] = [];
    if (this.#position === 0) {
      pieces.push(PARQUET_MAGIC);
      this.#position = PARQUET_MAGIC.length;
      this.#metadata = metadata;
    }
    const shift = BigInt(this.#position - PARQUET_MAGIC.length);
    const ordinal = this.#rowGroups.length;
    shiftIfPresent(group, RowGroupField.fileOffset, shift);
    if (thriftField(group, RowGroupField.ordinal) !== undefined) setField(group, RowGroupField.ordinal, ordinal);
    const columnIndexes: (Uint8Array | undefined)[] = [];
    const offsetIndexes: (ThriftStruct | undefined)[] = [];
    for (const column of columns) {
      const fileOffset = i64Field(column, ColumnChunkField.fileOffset);
      if (fileOffset !== undefined && fileOffset !== 0n) setField(column, ColumnChunkField.fileOffset, fileOffset + shift);
      const meta = thriftField(column, ColumnChunkField.metaData)?.value as ThriftStruct | undefined;
      if (meta) for (const id of [ColumnMetaDataField.dataPageOffset, ColumnMetaDataField.indexPageOffset, ColumnMetaDataField.dictionaryPageOffset]) shiftIfPresent(meta, id, shift);
      columnIndexes.push(rangeOf(file, column, ColumnChunkField.columnIndexOffset, ColumnChunkField.columnIndexLength)?.slice());
      const offsetIndexBytes = rangeOf(file, column, ColumnChunkField.offsetIndexOffset, ColumnChunkField.offsetIndexLength);
      if (offsetIndexBytes === undefined) offsetIndexes.push(undefined);
      else {
        const offsetIndex = readThriftStruct(offsetIndexBytes).struct;
        const locations = (thriftField(offsetIndex, OffsetIndexField.pageLocations)!.value as ThriftList).items as ThriftStruct[];
        for (const location of locations) shiftIfPresent(location, PageLocationField.offset, shift);
        offsetIndexes.push(offsetIndex);
      }
    }
    this.#rowGroups.push(group);
    this.#columnIndexes.push(columnIndexes);
    this.#offsetIndexes.push(offsetIndexes);
    this.#rows += i64Field(group, RowGroupField.numRows) ?? 0n;
    const data = file.subarray(PARQUET_MAGIC.length, dataEnd);
    pieces.push(data);
    this.#position += data.length;
    return pieces;
  }

  /** The bytes after the last row group: indexes, footer, footer length, magic. */
  finish(): Uint8Array[] {
    if (this.#metadata === undefined) throw new Error('ParquetStitcher.finish: no row group was added');
    const pieces: Uint8Array[] = [];
    this.#rowGroups.forEach((group, g) => {
      this.#columnsOf(group).forEach((column, c) => {
        const bytes = this.#columnIndexes[g][c];
        if (bytes === undefined) return;
        setField(column, ColumnChunkField.columnIndexOffset, BigInt(this.#position));
        pieces.push(bytes);
        this.#position += bytes.length;
      });
    });
    this.#rowGroups.forEach((group, g) => {
      this.#columnsOf(group).forEach((column, c) => {
        const offsetIndex = this.#offsetIndexes[g][c];
        if (offsetIndex === undefined) return;
        const bytes = writeThriftStruct(offsetIndex);
        setField(column, ColumnChunkField.offsetIndexOffset, BigInt(this.#position));
        setField(column, ColumnChunkField.offsetIndexLength, bytes.length);
        pieces.push(bytes);
        this.#position += bytes.length;
      });
    });
    const metadata = this.#metadata;
    setField(metadata, FileMetaDataField.numRows, this.#rows);
    (thriftField(metadata, FileMetaDataField.rowGroups)!.value as ThriftList).items = this.#rowGroups;
    const footer = writeThriftStruct(metadata);
    const trailer = new Uint8Array(8);
    new DataView(trailer.buffer).setUint32(0, footer.length, true);
    trailer.set(PARQUET_MAGIC, 4);
    pieces.push(footer, trailer);
    this.#position += footer.length + trailer.length;
    return pieces;
  }

  #columnsOf(group: ThriftStruct): ThriftStruct[] {
    return (thriftField(group, RowGroupField.columns)!.value as ThriftList).items as ThriftStruct[];
  }
}

function shiftIfPresent(struct: ThriftStruct, id: number, shift: bigint): void {
  const field = thriftField(struct, id);
  if (field !== undefined && field.type === WireType.I64) field.value = (field.value as bigint) + shift;
}
