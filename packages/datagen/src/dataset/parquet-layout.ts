import { openAsBlob } from 'node:fs';
import { Encoding, ParquetFile } from 'parquet-wasm/node';
import { InputError } from '@recd/core';

/** Compressed and uncompressed bytes of one top-level column, summed over its row groups (and leaves). */
export interface ColumnBytes {
  name: string;
  compressedBytes: number;
  uncompressedBytes: number;
  /** Parquet encodings used in any of its chunks, by name (`RLE_DICTIONARY`, `PLAIN`, `RLE`, ...), sorted. */
  encodings: string[];
}

/** What a Parquet file's footer says about its size and shape. */
export interface ParquetLayout {
  rows: number;
  /** Rows in each row group. */
  rowGroupRows: number[];
  /** Top-level columns in file order. */
  columns: ColumnBytes[];
}

/**
 * Reads only the footer of a Parquet file (a few KB, not the data). A file that is not Parquet,
 * or is truncated, gives an InputError naming it.
 */
export async function readParquetLayout(path: string): Promise<ParquetLayout> {
  const file = await openParquetFile(path);
  try {
    const metadata = file.metadata();
    const rows = metadata.fileMetadata().numRows();
    const rowGroupRows: number[] = [];
    const columns = new Map<string, ColumnBytes>();
    for (const rowGroup of metadata.rowGroups()) {
      rowGroupRows.push(rowGroup.numRows());
      for (const chunk of rowGroup.columns()) {
        const name = chunk.columnPath()[0];
        const bytes = columns.get(name) ?? { name, compressedBytes: 0, uncompressedBytes: 0, encodings: [] };
        bytes.compressedBytes += chunk.compressedSize();
        bytes.uncompressedBytes += chunk.uncompressedSize();
        for (const encoding of chunk.encodings()) if (!bytes.encodings.includes(Encoding[encoding])) bytes.encodings.push(Encoding[encoding]);
        columns.set(name, bytes);
        chunk.free();
      }
      rowGroup.free();
    }
    metadata.free();
    for (const column of columns.values()) column.encodings.sort();
    return { rows, rowGroupRows, columns: [...columns.values()] };
  } finally {
    file.free();
  }
}

/** `ParquetFile.fromFile` over a file-backed Blob (nothing is read but the footer). */
export async function openParquetFile(path: string): Promise<ParquetFile> {
  let blob: Blob;
  try {
    blob = await openAsBlob(path);
  } catch (error) {
    throw new InputError({ file: path }, `cannot open: ${(error as Error).message}`, { cause: error });
  }
  try {
    return await ParquetFile.fromFile(blob);
  } catch (error) {
    throw new InputError({ file: path }, `not a readable Parquet file (truncated or corrupt?): ${(error as Error)?.message ?? error}`, { cause: error });
  }
}
