import { Table, tableToIPC } from 'apache-arrow';
import { Table as WasmTable, writeParquet } from 'parquet-wasm/node';
import { DICTIONARY_PAGE_BYTES, ParquetSettings, columnEncodingsFor, writerPropertiesFor } from '../dataset/parquet-settings';
import { sampleChunkToArrow } from '../dataset/sample-chunk-arrow';
import { emptyChunk } from '../dataset/sample-chunk-slice';
import type { SampleColumnSpec } from '../dataset/sample-chunk-validate';
import { CompressionCodec } from './native/column-chunk-encoder';
import type { NativeShardSettings } from './native-shard-encoder';
import { readParquetFooter } from './parquet-footer';

/** Rows per data page at most (the parquet crate's default, which the parquet-wasm files have too). */
export const NATIVE_PAGE_ROWS = 20_000;

/**
 * The native encoder's settings for a shard with `columns`: each column's encoding (top-level
 * columns by columnEncodingsFor, list values by `listEncoding`), the codec, page limits, and the
 * footer template: parquet-wasm's file of zero rows with these columns, whose schema and Arrow
 * schema metadata every row group file copies (so readers see the same schema either way).
 */
export function nativeShardSettings(settings: ParquetSettings, columns: readonly SampleColumnSpec[]): NativeShardSettings {
  const emptyFile = writeParquet(WasmTable.fromIPCStream(tableToIPC(new Table([sampleChunkToArrow(emptyChunk(columns))]), 'stream')), writerPropertiesFor(settings, columns));
  const { footerStart } = readParquetFooter(emptyFile, 'the zero-row template file');
  const encodings = Object.fromEntries(columnEncodingsFor(settings, columns));
  for (const { name, type } of columns) if (type === 'list<int64>') encodings[name] = settings.listEncoding ?? 'dictionary';
  const zstd = settings.codec === 'zstd';
  return {
    rowGroupSize: settings.rowGroupSize,
    zstdLevel: zstd ? settings.zstdLevel : undefined,
    emptyFile,
    rowGroup: {
      footerTemplate: emptyFile.slice(footerStart, emptyFile.length - 8),
      encodings,
      codec: zstd ? CompressionCodec.ZSTD : CompressionCodec.UNCOMPRESSED,
      pageBytes: settings.dataPageSizeBytes,
      pageRows: NATIVE_PAGE_ROWS,
      dictionaryPageBytes: DICTIONARY_PAGE_BYTES,
    },
  };
}
