import { Table, tableToIPC } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm/node';
import { ColumnChunkField, ColumnMetaDataField, FileMetaDataField, RowGroupField, i64Field, readParquetFooter } from '../encode/parquet-footer';
import { ThriftList, ThriftStruct, thriftField } from '../encode/thrift-compact';
import { zstdCompressPages } from '../encode/zstd-pages';
import { ColumnEncoding, DEFAULT_ZSTD_LEVEL, DICTIONARY_PAGE_BYTES, ParquetSettings, recompressZstdLevel, writerPropertiesFor } from './parquet-settings';
import { EncodingTrial, NativeTrialSettings, nativeColumnBytes, nativeEncodingTrial, runEncodingTrial } from '../encode/native/native-trial';
import { NATIVE_PAGE_ROWS } from '../encode/native-shard-settings';
import type { SampleChunk, SampleColumn } from './sample-chunk';
import { sampleChunkToArrow } from './sample-chunk-arrow';
import { sliceSampleChunk } from './sample-chunk-slice';

/** A column's encoding, or `trial`: chosen per shard by {@link chooseEncodingsByTrial}. */
export type ColumnEncodingChoice = ColumnEncoding | 'trial';

export { TRIAL_CANDIDATES } from '../encode/native/native-trial';
export type { EncodingTrial } from '../encode/native/native-trial';

/**
 * Chooses the encoding of each of `names` (top-level int64 or float32 columns of `sample`) by
 * trial: the column's first `settings.rowGroupSize` rows of `sample`, alone, written as the shard
 * writer would write them (same settings: codec, ZSTD level with page recompression, page and
 * dictionary sizes) once per candidate in {@link TRIAL_CANDIDATES}; the smallest column chunk
 * wins, the earlier candidate on a tie. Depends on the sample's values and the settings only, so
 * it is deterministic. Needs `prepareZstd()` done when the settings recompress pages.
 */
export function chooseEncodingsByTrial(sample: SampleChunk, names: readonly string[], settings: ParquetSettings): EncodingTrial[] {
  if (settings.pageEncoder === 'native') return nativeEncodingTrial(sample, names, nativeTrialSettings(settings));
  return runEncodingTrial(sample, names, settings.rowGroupSize, (column, length, encoding) => encodedBytes(column, length, encoding, settings));
}

/** The writer's settings as the native trial takes them. */
export function nativeTrialSettings(settings: ParquetSettings): NativeTrialSettings {
  return {
    rowGroupSize: settings.rowGroupSize,
    zstdLevel: settings.codec === 'zstd' ? (settings.zstdLevel ?? DEFAULT_ZSTD_LEVEL) : undefined,
    pageBytes: settings.dataPageSizeBytes,
    pageRows: NATIVE_PAGE_ROWS,
    dictionaryPageBytes: DICTIONARY_PAGE_BYTES,
  };
}

/** Bytes of the column chunks of `column` written alone with `encoding`. */
export function encodedBytes(column: SampleColumn, length: number, encoding: ColumnEncoding, settings: ParquetSettings): number {
  if (settings.pageEncoder === 'native') return nativeColumnBytes(nativeTrialSettings(settings))(column, length, encoding);
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
