import type { ColumnEncoding } from '../../dataset/parquet-settings';
import type { SampleChunk, SampleColumn } from '../../dataset/sample-chunk';
import { sliceSampleChunk } from '../../dataset/sample-chunk-slice';
import { zstdCompressorSync } from '../zstd-compressor';
import { CompressionCodec, encodeColumnChunk } from './column-chunk-encoder';

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
 * The trial itself: for each of `names` (top-level int64 or float32 columns of `sample`), the
 * bytes `bytesOf` gives its first `rowGroupSize` rows under each candidate; the smallest wins, the
 * earlier candidate on a tie.
 */
export function runEncodingTrial(
  sample: SampleChunk,
  names: readonly string[],
  rowGroupSize: number,
  bytesOf: (column: SampleColumn, length: number, encoding: ColumnEncoding) => number,
): EncodingTrial[] {
  const rows = sliceSampleChunk(sample, 0, Math.min(sample.length, rowGroupSize));
  return names.map((name) => {
    const column = rows.columns.find((c) => c.name === name);
    if (column === undefined || column.type === 'list<int64>') throw new Error(`encoding trial: no int64 or float32 column ${JSON.stringify(name)}`);
    const bytes: Partial<Record<ColumnEncoding, number>> = {};
    let chosen: ColumnEncoding | undefined;
    for (const encoding of TRIAL_CANDIDATES[column.type]) {
      bytes[encoding] = bytesOf(column, rows.length, encoding);
      if (chosen === undefined || bytes[encoding]! < bytes[chosen]!) chosen = encoding;
    }
    return { name, chosen: chosen!, bytes };
  });
}

/** What a native trial needs of the writer's settings (plain values, so it can go to a worker thread). */
export interface NativeTrialSettings {
  rowGroupSize: number;
  /** ZSTD level of the pages, or undefined for uncompressed pages. */
  zstdLevel: number | undefined;
  pageBytes: number;
  pageRows: number;
  dictionaryPageBytes: number;
}

/** The trial with the native encoder: each candidate's column chunk bytes as NativeShardEncoder writes them (needs prepareZstd or the zstd addon). */
export function nativeEncodingTrial(sample: SampleChunk, names: readonly string[], settings: NativeTrialSettings): EncodingTrial[] {
  const bytesOf = nativeColumnBytes(settings);
  return runEncodingTrial(sample, names, settings.rowGroupSize, bytesOf);
}

/** What measures one column's bytes under an encoding with the native encoder and `settings`. */
export function nativeColumnBytes(settings: NativeTrialSettings): (column: SampleColumn, length: number, encoding: ColumnEncoding) => number {
  const compressor = settings.zstdLevel === undefined ? undefined : zstdCompressorSync(settings.zstdLevel);
  const chunkSettings = {
    codec: compressor ? CompressionCodec.ZSTD : CompressionCodec.UNCOMPRESSED,
    compress: compressor ? (payload: Uint8Array) => compressor.compress(payload) : (payload: Uint8Array) => payload.slice(),
    pageBytes: settings.pageBytes,
    pageRows: settings.pageRows,
    dictionaryPageBytes: settings.dictionaryPageBytes,
  };
  return (column, length, encoding) => encodeColumnChunk(column, length, encoding, chunkSettings, 0).bytes;
}
