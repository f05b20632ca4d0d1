import { Table, tableToIPC } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm/node';
import { ColumnChunkField, ColumnMetaDataField, FileMetaDataField, RowGroupField, i64Field, readParquetFooter } from '../encode/parquet-footer';
import { ThriftList, ThriftStruct, thriftField } from '../encode/thrift-compact';
import { zstdCompressPages } from '../encode/zstd-pages';
import { ColumnEncoding, DEFAULT_ZSTD_LEVEL, DICTIONARY_PAGE_BYTES, ParquetSettings, recompressZstdLevel, writerPropertiesFor } from './parquet-settings';
import { CompressionCodec, encodeColumnChunk } from '../encode/native/column-chunk-encoder';
import { NATIVE_PAGE_ROWS } from '../encode/native-shard-settings';
import { zstdCompressorSync } from '../encode/zstd-compressor';
import type { SampleChunk, SampleColumn } from './sample-chunk';
import { sampleChunkToArrow } from './sample-chunk-arrow';
import { sliceSampleChunk } from './sample-chunk-slice';

/** A column's encoding, or `trial`: chosen per shard by {@link chooseEncodingsByTrial}. */
export type ColumnEncodingChoice = ColumnEncoding | 'trial';

/**
 * The encodings a trial compares, in order of preference on a tie (PLAIN first: every reader
 * decodes it, and fastest). `delta` is DELTA_BINARY_PACKED, int64 only; `byte-stream-split` is
 * tried on float32 only: on int64 it is Parquet format 2.11, which common readers refuse (DuckDB
 * 1.5: "BYTE_STREAM_SPLIT encoding is only supported for FLOAT or DOUBLE data"). It can still be
 * asked for per column in `columnEncodings`.
 */
export const TRIAL_CANDIDATES: Readonly<Record<'int64' | 'float32', readonly ColumnEncoding[]>> = {
  int64: ['plain', 'dictionary', 'delta'],
  float32: ['plain', 'dictionary', 'byte-stream-split'],
};

/** A column's trial: the stored bytes of its sample under each candidate encoding. */
export interface EncodingTrial {
  name: string;
  chosen: ColumnEncoding;
  bytes: Partial<Record<ColumnEncoding, number>>;
}

/**
 * Chooses the encoding of each of `names` (top-level int64 or float32 columns of `sample`) by
 * trial: the column's first `settings.rowGroupSize` rows of `sample`, alone, written as the shard
 * writer would write them (same settings: codec, ZSTD level with page recompression, page and
 * dictionary sizes) once per candidate in {@link TRIAL_CANDIDATES}; the smallest column chunk
 * wins, the earlier candidate on a tie. Depends on the sample's values and the settings only, so
 * it is deterministic. Needs `prepareZstd()` done when the settings recompress pages.
 */
export function chooseEncodingsByTrial(sample: SampleChunk, names: readonly string[], settings: ParquetSettings): EncodingTrial[] {
  const rows = sliceSampleChunk(sample, 0, Math.min(sample.length, settings.rowGroupSize));
  return names.map((name) => {
    const column = rows.columns.find((c) => c.name === name);
    if (column === undefined || column.type === 'list<int64>') throw new Error(`encoding trial: no int64 or float32 column ${JSON.stringify(name)}`);
    const bytes: Partial<Record<ColumnEncoding, number>> = {};
    let chosen: ColumnEncoding | undefined;
    for (const encoding of TRIAL_CANDIDATES[column.type]) {
      bytes[encoding] = encodedBytes(column, rows.length, encoding, settings);
      if (chosen === undefined || bytes[encoding]! < bytes[chosen]!) chosen = encoding;
    }
    return { name, chosen: chosen!, bytes };
  });
}

/** Bytes of the column chunks of `column` written alone with `encoding`. */
export function encodedBytes(column: SampleColumn, length: number, encoding: ColumnEncoding, settings: ParquetSettings): number {
  if (settings.pageEncoder === 'native') return nativeEncodedBytes(column, length, encoding, settings);
  const spec = { name: column.name, type: column.type };
  const properties = writerPropertiesFor({ ...settings, plainColumns: [], columnEncodings: { [column.name]: encoding } }, [spec]);
  const chunk: SampleChunk = { length, columns: [column] };
  const table = WasmTable.fromIPCStream(tableToIPC(new Table([sampleChunkToArrow(chunk)]), 'stream'));
  let file = writeParquet(table, properties);
  const level = recompressZstdLevel(settings);
  if (level !== undefined) file = zstdCompressPages(file, level, `encoding trial of ${column.name}`);
  return columnChunkBytes(file);
}

/** Sum of every column chunk's total_compressed_size (pages with their headers, dictionary included). */
function columnChunkBytes(file: Uint8Array): number {
  const { metadata } = readParquetFooter(file, 'encoding trial');
  let total = 0;
  for (const group of ((thriftField(metadata, FileMetaDataField.rowGroups)?.value as ThriftList | undefined)?.items ?? []) as ThriftStruct[]) {
    for (const column of (thriftField(group, RowGroupField.columns)!.value as ThriftList).items as ThriftStruct[]) {
      total += Number(i64Field(thriftField(column, ColumnChunkField.metaData)!.value as ThriftStruct, ColumnMetaDataField.totalCompressedSize)!);
    }
  }
  return total;
}

/** The same with the native encoder: the column chunk's bytes as NativeShardEncoder writes it (needs prepareZstd or the zstd addon). */
function nativeEncodedBytes(column: SampleColumn, length: number, encoding: ColumnEncoding, settings: ParquetSettings): number {
  const zstd = settings.codec === 'zstd';
  const compressor = zstd ? zstdCompressorSync(settings.zstdLevel ?? DEFAULT_ZSTD_LEVEL) : undefined;
  return encodeColumnChunk(column, length, encoding, {
    codec: zstd ? CompressionCodec.ZSTD : CompressionCodec.UNCOMPRESSED,
    compress: compressor ? (payload) => compressor.compress(payload) : (payload) => payload.slice(),
    pageBytes: settings.dataPageSizeBytes,
    pageRows: NATIVE_PAGE_ROWS,
    dictionaryPageBytes: DICTIONARY_PAGE_BYTES,
  }, 0).bytes;
}
