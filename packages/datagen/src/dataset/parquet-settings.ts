import { Compression, Encoding, WriterProperties, WriterPropertiesBuilder } from 'parquet-wasm/node';
import { RecdError } from '@recd/core';
import type { Codec } from './manifest';
import type { SampleColumnSpec } from './sample-chunk-validate';

export const CODECS: readonly Codec[] = ['zstd', 'snappy', 'gzip', 'none'];

const COMPRESSION: Record<Codec, Compression> = {
  zstd: Compression.ZSTD,
  snappy: Compression.SNAPPY,
  gzip: Compression.GZIP,
  none: Compression.UNCOMPRESSED,
};

/** What encodes Parquet pages: recd's own encoder (encode/native/) or the parquet crate in WebAssembly. */
export type PageEncoder = 'native' | 'parquet-wasm';

/** The codecs the native page encoder compresses. */
export const NATIVE_CODECS: readonly Codec[] = ['zstd', 'none'];

/** The dataset writer's page encoder when none is asked for: native where it compresses the codec. */
export function defaultPageEncoder(codec: Codec): PageEncoder {
  return NATIVE_CODECS.includes(codec) ? 'native' : 'parquet-wasm';
}

export interface ParquetSettings {
  /** Default `parquet-wasm` here; the dataset writer's default is `native` where the codec allows. */
  pageEncoder?: PageEncoder;
  codec: Codec;
  /** Rows per row group: the unit a reader streams, and what a shard writer holds in memory. */
  rowGroupSize: number;
  /** Data page size limit; compression works page by page, so repeats further apart than a page are not removed. */
  dataPageSizeBytes: number;
  /** Top-level columns written without a dictionary (besides float32 columns, which get none by default). */
  plainColumns?: readonly string[];
  /** Per-column encodings, overriding the defaults and `plainColumns` (see {@link ColumnEncoding}). */
  columnEncodings?: Readonly<Record<string, ColumnEncoding>>;
  /**
   * ZSTD level (codec `zstd` only). Level 1 is parquet-wasm's own ZSTD; any other level writes
   * pages uncompressed and compresses them afterwards (encode/zstd-pages.ts).
   */
  zstdLevel?: number;
  /**
   * The values of `list<int64>` columns: `dictionary` (default) or `plain` (parquet-wasm 0.8
   * cannot address a list's leaf column, so `plain` turns the dictionary off file-wide and back on
   * for each top-level column that keeps one).
   */
  listEncoding?: 'dictionary' | 'plain';
}

/** The ZSTD level when none is given: chosen by measurement (docs/dataset-format.md). */
export const DEFAULT_ZSTD_LEVEL = 3;

/** The ZSTD level to compress pages at after parquet-wasm wrote them uncompressed, or undefined (parquet-wasm compresses). */
export function recompressZstdLevel(settings: ParquetSettings): number | undefined {
  if (settings.codec !== 'zstd') return undefined;
  const level = settings.zstdLevel ?? DEFAULT_ZSTD_LEVEL;
  return level === 1 ? undefined : level;
}

/**
 * How one top-level `int64` or `float32` column is encoded (parquet-wasm 0.8 addresses a column by
 * one name, so the leaves of `list<int64>` columns always keep the default, a dictionary):
 * - `dictionary`: RLE_DICTIONARY (PLAIN once the 1 MiB dictionary page is full);
 * - `plain`: PLAIN, no dictionary;
 * - `delta`: DELTA_BINARY_PACKED, `int64` only (for values that grow steadily, such as times);
 * - `byte-stream-split`: BYTE_STREAM_SPLIT, `float32` and `int64` (the 4 or 8 bytes of each value
 *   in 4 or 8 streams, which the page compressor shrinks better for continuous values; on int64,
 *   Parquet format 2.11).
 */
export type ColumnEncoding = 'dictionary' | 'plain' | 'delta' | 'byte-stream-split';

export const COLUMN_ENCODINGS: readonly ColumnEncoding[] = ['dictionary', 'plain', 'delta', 'byte-stream-split'];

/**
 * parquet-wasm writer properties for a file with `columns`. A fresh object per file: parquet-wasm
 * consumes it. `created_by` stays the parquet crate's own, which readers use to work around known
 * writer bugs. Choices measured on session-clustered samples (docs/dataset-format.md):
 *
 * - Format 1.0 data pages (PLAIN fallback). Version 2 pages (DELTA_BINARY_PACKED ids) were 2.4x
 *   faster to write and smaller in random order, but 1.6x larger in session order: the bit-packed
 *   deltas hide a session's repeated lists from the page compressor.
 * - Dictionary encoding with 1 MiB dictionary pages on id and list columns (categorical by nature):
 *   on 100k synthetic samples it made the session-ordered file 1.75x smaller (3.0 MB against
 *   5.3 MB), the time-ordered one 1.3x and the random one 1.15x. With 16 KiB dictionary pages the
 *   dictionary fell back to plain after a few pages and gained nothing.
 * - No dictionary on float32 columns and on `plainColumns` (continuous int64 such as timestamps,
 *   or near-unique ids such as session ids): there a dictionary only adds index bytes (a
 *   continuous float took 4.9 bytes per sample with one, 3.6 without).
 * - `columnEncodings` overrides any of this per top-level column (a 0/1 label compresses best
 *   with a dictionary; see `sampleColumnEncodings`).
 * - ZSTD: parquet-wasm 0.8 compresses at level 1 only, so for another level (the default is
 *   {@link DEFAULT_ZSTD_LEVEL}) it writes pages UNCOMPRESSED and encode/zstd-pages.ts compresses them.
 *
 * `start` is the builder to call (a recorder, for encoder threads: encode/writer-property-calls.ts).
 */
export function writerPropertiesFor(settings: ParquetSettings, columns: readonly SampleColumnSpec[], start = new WriterPropertiesBuilder()): WriterProperties {
  let builder = start
    .setCompression(recompressZstdLevel(settings) === undefined ? COMPRESSION[settings.codec] : Compression.UNCOMPRESSED)
    .setMaxRowGroupSize(settings.rowGroupSize)
    .setDataPageSizeLimit(settings.dataPageSizeBytes)
    .setDictionaryEnabled(settings.listEncoding !== 'plain')
    .setDictionaryPageSizeLimit(DICTIONARY_PAGE_BYTES);
  for (const [name, encoding] of columnEncodingsFor(settings, columns)) {
    if (encoding === 'dictionary') {
      if (settings.listEncoding === 'plain') builder = builder.setColumnDictionaryEnabled(name, true);
      continue;
    }
    builder = builder.setColumnDictionaryEnabled(name, false);
    if (encoding !== 'plain') builder = builder.setColumnEncoding(name, encoding === 'delta' ? Encoding.DELTA_BINARY_PACKED : Encoding.BYTE_STREAM_SPLIT);
  }
  return builder.build();
}

/** The encoding of every top-level `int64` and `float32` column; throws on an override that does not fit its column. */
export function columnEncodingsFor(settings: ParquetSettings, columns: readonly SampleColumnSpec[]): Map<string, ColumnEncoding> {
  const plain = new Set(settings.plainColumns ?? []);
  const encodings = new Map<string, ColumnEncoding>();
  for (const { name, type } of columns) {
    if (type !== 'list<int64>') encodings.set(name, type === 'float32' || plain.has(name) ? 'plain' : 'dictionary');
  }
  for (const [name, encoding] of Object.entries(settings.columnEncodings ?? {})) {
    const column = columns.find((c) => c.name === name);
    if (!column) throw new RecdError(`columnEncodings: no column ${JSON.stringify(name)} in the samples`);
    if (!COLUMN_ENCODINGS.includes(encoding)) throw new RecdError(`columnEncodings.${name}: expected ${COLUMN_ENCODINGS.join(', ')}, got ${JSON.stringify(encoding)}`);
    const fits = column.type === 'list<int64>' ? false : encoding === 'delta' ? column.type === 'int64' : true;
    if (!fits) throw new RecdError(`columnEncodings.${name}: ${encoding} does not apply to ${column.type} columns`);
    encodings.set(name, encoding);
  }
  return encodings;
}

/** Dictionary page size limit: beyond it a column's values are written PLAIN. */
export const DICTIONARY_PAGE_BYTES = 1 << 20;
