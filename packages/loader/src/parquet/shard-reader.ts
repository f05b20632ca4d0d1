/**
 * Row groups of one Parquet shard read by the JavaScript reader: the footer once, then per row
 * group only the byte ranges of the requested columns (bounded memory: one row group's chunks at a
 * time). Checks that the columns exist with the manifest's types and that the reader supports
 * their codecs and encodings (`UnsupportedParquetError` otherwise).
 */
import { open, type FileHandle } from 'node:fs/promises';
import { SchemaError } from '@recd/core';
import type { SampleChunk, SampleColumnType } from '@recd/datagen';
import { decodeColumnChunk, sampleTypeOfLeaf, SUPPORTED_ENCODINGS } from './column-chunk';
import { codecSupported, prepareCodec } from './decompress';
import { ParquetFooter, ParquetLeaf, describeLeaves, readFooter, readFully } from './footer';
import { UnsupportedParquetError } from './unsupported';
import { ShardShape, checkShardShape } from './shard-shape';

export type ColumnSpec = { name: string; type: SampleColumnType };

export class ShardReader {
  readonly footer: ParquetFooter;
  readonly #handle: FileHandle;
  /** For each requested column, its leaf's index in the row groups' column chunks. */
  readonly #leafIndex: number[];
  readonly #columns: readonly ColumnSpec[];

  private constructor(handle: FileHandle, footer: ParquetFooter, columns: readonly ColumnSpec[]) {
    this.#handle = handle;
    this.footer = footer;
    this.#columns = columns;
    this.#leafIndex = columns.map(({ name, type }) => leafIndexOf(footer.leaves, name, type));
  }

  /**
   * Opens `path` and reads its footer; checks its shape against the manifest's (when given), then
   * the columns (SchemaError when one is missing or of another type).
   */
  static async open(path: string, columns: readonly ColumnSpec[], expected?: ShardShape): Promise<ShardReader> {
    const handle = await open(path, 'r');
    try {
      const { size } = await handle.stat();
      const footer = await readFooter(handle, size);
      if (expected) checkShardShape({ rowGroups: footer.rowGroups.length, rows: footer.rows }, expected);
      return new ShardReader(handle, footer, columns);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async readRowGroup(rowGroup: number): Promise<SampleChunk> {
    const group = this.footer.rowGroups[rowGroup];
    if (group === undefined) throw new Error(`no row group ${rowGroup}: the file has ${this.footer.rowGroups.length}`);
    const chunks = this.#leafIndex.map((leaf) => group.columns[leaf]);
    for (const chunk of chunks) {
      if (!codecSupported(chunk.codec)) throw new UnsupportedParquetError(`codec ${chunk.codec} (column ${chunk.path.join('.')})`);
      const unsupported = chunk.encodings.find((encoding) => !SUPPORTED_ENCODINGS.has(encoding));
      if (unsupported !== undefined) throw new UnsupportedParquetError(`encoding ${unsupported} (column ${chunk.path.join('.')})`);
      await prepareCodec(chunk.codec);
    }
    const bytes = await Promise.all(
      chunks.map(async (chunk) => {
        const buffer = Buffer.allocUnsafe(chunk.length);
        await readFully(this.#handle, buffer, chunk.start);
        return buffer;
      }),
    );
    return {
      length: group.rows,
      columns: this.#columns.map(({ name, type }, c) => decodeColumnChunk(bytes[c], chunks[c], this.footer.leaves[this.#leafIndex[c]], group.rows, name, type)),
    };
  }

  close(): Promise<void> {
    return this.#handle.close();
  }
}

function leafIndexOf(leaves: readonly ParquetLeaf[], name: string, type: SampleColumnType): number {
  const indices: number[] = [];
  leaves.forEach((leaf, i) => {
    if (leaf.path[0] === name) indices.push(i);
  });
  if (indices.length === 0) {
    const names = [...new Set(leaves.map((leaf) => leaf.path[0]))];
    throw new SchemaError(`no column "${name}" (the manifest lists it as ${type}); the file has ${names.join(', ')}`);
  }
  const found = indices.length === 1 ? sampleTypeOfLeaf(leaves[indices[0]]) : undefined;
  if (found !== type) throw new SchemaError(`column "${name}": expected ${type} as the manifest says, the file has ${describeLeaves(indices.map((i) => leaves[i]))}`);
  if (leaves[indices[0]].maxRepetition > 1) throw new UnsupportedParquetError(`nested lists (column ${name})`);
  return indices[0];
}

/** One row group of a shard with the JavaScript reader: open, check, read, close. */
export async function readRowGroupWithJs(path: string, rowGroup: number, columns: readonly ColumnSpec[], expected: ShardShape): Promise<SampleChunk> {
  const reader = await ShardReader.open(path, columns, expected);
  try {
    return await reader.readRowGroup(rowGroup);
  } finally {
    await reader.close();
  }
}
