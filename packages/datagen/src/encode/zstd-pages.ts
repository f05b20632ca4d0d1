import * as zstd from '@bokuweb/zstd-wasm';
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
import { ThriftList, ThriftStruct, readThriftStruct, thriftField, writeThriftStruct } from './thrift-compact';

/**
 * ZSTD at a chosen level for a Parquet file parquet-wasm wrote UNCOMPRESSED (parquet-wasm 0.8
 * compresses ZSTD at level 1 only): every page's payload is compressed here, one zstd frame per
 * page as a Parquet writer makes it (v1 data and dictionary pages: the whole payload; v2 data
 * pages: the values after the levels, which stay as they are), its header rewritten with the new
 * size, and the footer and offset indexes rewritten to match (codec ZSTD, sizes, page and
 * column-chunk offsets). Column indexes (page statistics) do not depend on compression and are
 * copied. The result depends only on the input bytes and the level, so it is deterministic, and
 * recompressing each one-row-group part before stitching gives the same bytes as recompressing
 * the stitched file.
 *
 * Call {@link prepareZstd} once (per thread) before.
 */
export function zstdCompressPages(file: Uint8Array, level: number, where: string): Uint8Array {
  if (zstdLoaded === undefined) throw new Error('zstdCompressPages: the ZSTD encoder is not loaded (prepareZstd first)');
  const { metadata, footerStart } = readParquetFooter(file, where);
  const groups = ((thriftField(metadata, FileMetaDataField.rowGroups)?.value as ThriftList | undefined)?.items ?? []) as ThriftStruct[];
  const out = new GrowingBytes(file.length >> 3); // compressed pages: mostly far smaller than the file
  out.push(PARQUET_MAGIC);
  let read = PARQUET_MAGIC.length;
  const columnIndexes: { column: ThriftStruct; bytes: Uint8Array }[] = [];
  const offsetIndexes: { column: ThriftStruct; index: ThriftStruct }[] = [];
  for (const group of groups) {
    const columns = (thriftField(group, RowGroupField.columns)!.value as ThriftList).items as ThriftStruct[];
    const groupStart = out.length;
    let groupCompressed = 0n;
    for (const column of columns) {
      const meta = thriftField(column, ColumnChunkField.metaData)!.value as ThriftStruct;
      if (i32Field(meta, ColumnMetaDataField.codec) !== UNCOMPRESSED) throw new Error(`${where}: expected UNCOMPRESSED pages to compress with ZSTD`);
      if (i64Field(meta, ColumnMetaDataField.bloomFilterOffset) !== undefined) throw new Error(`${where}: cannot recompress files with bloom filters`);
      const dictionaryOffset = i64Field(meta, ColumnMetaDataField.dictionaryPageOffset);
      const dataOffset = i64Field(meta, ColumnMetaDataField.dataPageOffset)!;
      const start = Number(dictionaryOffset ?? dataOffset);
      const end = start + Number(i64Field(meta, ColumnMetaDataField.totalCompressedSize)!);
      if (start !== read) throw new Error(`${where}: column chunk at byte ${start}, expected it right after the previous one (${read})`);
      const chunkStart = out.length;
      const moved = new Map<number, number>(); // old page offset -> new page offset and size
      const sizes = new Map<number, number>();
      let uncompressedTotal = 0;
      for (let at = start; at < end; ) {
        const { struct: header, end: payloadStart } = readThriftStruct(file, at);
        const size = i32Field(header, PageHeaderField.compressedPageSize)!;
        const payload = file.subarray(payloadStart, payloadStart + size);
        if (thriftField(header, PageHeaderField.crc) !== undefined) throw new Error(`${where}: cannot recompress pages with a CRC`);
        const compressed = compressPayload(header, payload, level);
        setField(header, PageHeaderField.compressedPageSize, compressed.length);
        const headerBytes = writeThriftStruct(header);
        moved.set(at, out.length);
        sizes.set(at, headerBytes.length + compressed.length);
        uncompressedTotal += headerBytes.length + i32Field(header, PageHeaderField.uncompressedPageSize)!;
        out.push(headerBytes);
        out.push(compressed);
        at = payloadStart + size;
      }
      read = end;
      const newOffset = (old: bigint): bigint => {
        const to = moved.get(Number(old));
        if (to === undefined) throw new Error(`${where}: no page starts at byte ${old}`);
        return BigInt(to);
      };
      setField(meta, ColumnMetaDataField.codec, ZSTD);
      setField(meta, ColumnMetaDataField.totalCompressedSize, BigInt(out.length - chunkStart));
      setField(meta, ColumnMetaDataField.totalUncompressedSize, BigInt(uncompressedTotal));
      setField(meta, ColumnMetaDataField.dataPageOffset, newOffset(dataOffset));
      if (dictionaryOffset !== undefined) setField(meta, ColumnMetaDataField.dictionaryPageOffset, newOffset(dictionaryOffset));
      const indexPage = i64Field(meta, ColumnMetaDataField.indexPageOffset);
      if (indexPage !== undefined) setField(meta, ColumnMetaDataField.indexPageOffset, newOffset(indexPage));
      const fileOffset = i64Field(column, ColumnChunkField.fileOffset);
      if (fileOffset !== undefined && fileOffset !== 0n) setField(column, ColumnChunkField.fileOffset, BigInt(chunkStart));
      groupCompressed += BigInt(out.length - chunkStart);
      const columnIndex = rangeOf(file, column, ColumnChunkField.columnIndexOffset, ColumnChunkField.columnIndexLength);
      if (columnIndex !== undefined) columnIndexes.push({ column, bytes: columnIndex });
      const offsetIndexBytes = rangeOf(file, column, ColumnChunkField.offsetIndexOffset, ColumnChunkField.offsetIndexLength);
      if (offsetIndexBytes !== undefined) {
        const index = readThriftStruct(offsetIndexBytes).struct;
        for (const location of (thriftField(index, OffsetIndexField.pageLocations)!.value as ThriftList).items as ThriftStruct[]) {
          const old = i64Field(location, PageLocationField.offset)!;
          setField(location, PageLocationField.compressedPageSize, sizes.get(Number(old))!);
          setField(location, PageLocationField.offset, newOffset(old));
        }
        offsetIndexes.push({ column, index });
      }
    }
    if (thriftField(group, RowGroupField.fileOffset) !== undefined) setField(group, RowGroupField.fileOffset, BigInt(groupStart));
    if (thriftField(group, RowGroupField.totalCompressedSize) !== undefined) setField(group, RowGroupField.totalCompressedSize, groupCompressed);
  }
  // the parquet crate's order after the data: all column indexes, then all offset indexes, then the footer
  for (const { column, bytes } of columnIndexes) {
    setField(column, ColumnChunkField.columnIndexOffset, BigInt(out.length));
    out.push(bytes);
  }
  for (const { column, index } of offsetIndexes) {
    const bytes = writeThriftStruct(index);
    setField(column, ColumnChunkField.offsetIndexOffset, BigInt(out.length));
    setField(column, ColumnChunkField.offsetIndexLength, bytes.length);
    out.push(bytes);
  }
  const footer = writeThriftStruct(metadata);
  const trailer = new Uint8Array(8);
  new DataView(trailer.buffer).setUint32(0, footer.length, true);
  trailer.set(PARQUET_MAGIC, 4);
  out.push(footer);
  out.push(trailer);
  if (footerStart < read) throw new Error(`${where}: footer overlaps the data`);
  return out.bytes();
}

/** One ZSTD frame of `bytes` at `level` (prepareZstd first). */
export function zstdCompress(bytes: Uint8Array, level: number): Uint8Array {
  return zstd.compress(bytes, level);
}

let zstdLoaded: Promise<void> | undefined;

/**
 * Loads zstd's C library compiled to WebAssembly (@bokuweb/zstd-wasm), once per thread. Every user
 * of that module in a thread must load it through here (the loader's decompression does): a second
 * `init` replaces the instance under calls already running, which then fail.
 */
export function prepareZstd(): Promise<void> {
  const shared = globalThis as { [ZSTD_INIT]?: Promise<void> };
  return (zstdLoaded ??= shared[ZSTD_INIT] ??= zstd.init());
}

/** The load's promise is also kept on globalThis, in case this module is loaded twice in a thread (e.g. by a test runner). */
const ZSTD_INIT = Symbol.for('@recd/zstd-wasm-init');

/** ZSTD levels accepted (zstd's own range, negative "fast" levels excluded). */
export const ZSTD_LEVELS = { min: 1, max: 22 } as const;

const UNCOMPRESSED = 0;
const ZSTD = 6;
const DATA_PAGE_V2 = 3;
const PageHeaderField = { type: 1, uncompressedPageSize: 2, compressedPageSize: 3, crc: 4, dataPageHeaderV2: 8 } as const;
const DataPageV2Field = { definitionLevelsByteLength: 5, repetitionLevelsByteLength: 6, isCompressed: 7 } as const;

function compressPayload(header: ThriftStruct, payload: Uint8Array, level: number): Uint8Array {
  if (i32Field(header, PageHeaderField.type) !== DATA_PAGE_V2) return zstd.compress(payload, level);
  const v2 = thriftField(header, PageHeaderField.dataPageHeaderV2)!.value as ThriftStruct;
  const levels = (i32Field(v2, DataPageV2Field.definitionLevelsByteLength) ?? 0) + (i32Field(v2, DataPageV2Field.repetitionLevelsByteLength) ?? 0);
  const isCompressed = thriftField(v2, DataPageV2Field.isCompressed);
  if (isCompressed !== undefined) isCompressed.value = true;
  const values = zstd.compress(payload.subarray(levels), level);
  const joined = new Uint8Array(levels + values.length);
  joined.set(payload.subarray(0, levels));
  joined.set(values, levels);
  return joined;
}

/** An append-only byte buffer. */
class GrowingBytes {
  #buffer: Uint8Array;
  length = 0;

  constructor(capacity: number) {
    this.#buffer = new Uint8Array(Math.max(64, capacity));
  }

  push(bytes: Uint8Array): void {
    if (this.length + bytes.length > this.#buffer.length) {
      const grown = new Uint8Array(Math.max(this.#buffer.length * 2, this.length + bytes.length));
      grown.set(this.#buffer.subarray(0, this.length));
      this.#buffer = grown;
    }
    this.#buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  bytes(): Uint8Array {
    return this.#buffer.slice(0, this.length);
  }
}
