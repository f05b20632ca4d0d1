import { Compression, WriterProperties, WriterPropertiesBuilder } from 'parquet-wasm/node';
import type { Codec } from './manifest';
import type { SampleColumnSpec } from './sample-chunk-validate';

export const CODECS: readonly Codec[] = ['zstd', 'snappy', 'gzip', 'none'];

const COMPRESSION: Record<Codec, Compression> = {
  zstd: Compression.ZSTD,
  snappy: Compression.SNAPPY,
  gzip: Compression.GZIP,
  none: Compression.UNCOMPRESSED,
};

export interface ParquetSettings {
  codec: Codec;
  /** Rows per row group: the unit a reader streams, and what a shard writer holds in memory. */
  rowGroupSize: number;
  /** Data page size limit; compression works page by page, so repeats further apart than a page are not removed. */
  dataPageSizeBytes: number;
  /** Top-level columns written without a dictionary (besides float32 columns, which never get one). */
  plainColumns?: readonly string[];
}

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
 *
 * `start` is the builder to call (a recorder, for encoder threads: encode/writer-property-calls.ts).
 */
export function writerPropertiesFor(settings: ParquetSettings, columns: readonly SampleColumnSpec[], start = new WriterPropertiesBuilder()): WriterProperties {
  let builder = start
    .setCompression(COMPRESSION[settings.codec])
    .setMaxRowGroupSize(settings.rowGroupSize)
    .setDataPageSizeLimit(settings.dataPageSizeBytes)
    .setDictionaryEnabled(true)
    .setDictionaryPageSizeLimit(DICTIONARY_PAGE_BYTES);
  const plain = new Set(settings.plainColumns ?? []);
  for (const { name, type } of columns) if (type === 'float32' || plain.has(name)) builder = builder.setColumnDictionaryEnabled(name, false);
  return builder.build();
}

const DICTIONARY_PAGE_BYTES = 1 << 20;
