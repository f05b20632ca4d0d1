/**
 * Row groups of one Parquet shard read by the JavaScript reader: the footer once, then per row
 * group only the byte ranges of the requested columns (bounded memory: one row group's chunks at a
 * time). The file is a file-backed Blob, not an open descriptor: each read opens and closes it, so
 * a worker thread ended mid-read (an iteration closed early) leaves no file open, and a file
 * changed since it was opened fails to read instead of mixing two versions. Checks that the columns exist with the manifest's types and that the reader supports
 * their codecs and encodings (`UnsupportedParquetError` otherwise).
 */
import { openAsBlob } from 'node:fs';
import { SchemaError } from '@recd/core';
import type { SampleColumnType } from '@recd/datagen';
import type { DecodedChunk } from '../dictionary-ids';
import { decodeColumnChunk, sampleTypeOfLeaf, SUPPORTED_ENCODINGS, WordAllocator } from './column-chunk';
import { codecSupported, prepareCodec } from './decompress';
import { ColumnChunkMeta, ParquetFooter, ParquetLeaf, describeLeaves, readFooter, readRange } from './footer';
import { UnsupportedParquetError } from './unsupported';
import { ShardShape, checkShardShape } from './shard-shape';

export type ColumnSpec = { name: string; type: SampleColumnType };

export class ShardReader {
  readonly footer: ParquetFooter;
  readonly #file: Blob;
  /** For each requested column, its leaf's index in the row groups' column chunks. */
  readonly #leafIndex: number[];
  readonly #columns: readonly ColumnSpec[];

  private constructor(file: Blob, footer: ParquetFooter, columns: readonly ColumnSpec[]) {
    this.#file = file;
    this.footer = footer;
    this.#columns = columns;
    this.#leafIndex = columns.map(({ name, type }) => leafIndexOf(footer.leaves, name, type));
  }

  /**
   * Opens `path` and reads its footer; checks its shape against the manifest's (when given), then
   * the columns (SchemaError when one is missing or of another type).
   */
  static async open(path: string, columns: readonly ColumnSpec[], expected?: ShardShape): Promise<ShardReader> {
    const file = await openAsBlob(path);
    const footer = await readFooter(file);
    if (expected) checkShardShape({ rowGroups: footer.rowGroups.length, rows: footer.rows }, expected);
    return new ShardReader(file, footer, columns);
  }

  /**
   * The chunks' bytes: one read of the span from the first to the last when the columns in
   * between that are not asked for are no more than what is (a row group's chunks lie one after
   * another), else one read per chunk.
   */
  async #readChunks(chunks: readonly ColumnChunkMeta[]): Promise<Uint8Array[]> {
    const from = Math.min(...chunks.map((chunk) => chunk.start));
    const to = Math.max(...chunks.map((chunk) => chunk.start + chunk.length));
    const needed = chunks.reduce((sum, chunk) => sum + chunk.length, 0);
    if (to - from > 2 * needed) return Promise.all(chunks.map((chunk) => readRange(this.#file, chunk.start, chunk.length)));
    const span = await readRange(this.#file, from, to - from);
    return chunks.map((chunk) => span.subarray(chunk.start - from, chunk.start - from + chunk.length));
  }

  /** Row group `rowGroup`, decoded; `alloc` gives the decoded columns' arrays (default: new arrays). */
  async readRowGroup(rowGroup: number, alloc?: WordAllocator): Promise<DecodedChunk> {
    const group = this.footer.rowGroups[rowGroup];
    if (group === undefined) throw new Error(`no row group ${rowGroup}: the file has ${this.footer.rowGroups.length}`);
    const chunks = this.#leafIndex.map((leaf) => group.columns[leaf]);
    for (const chunk of chunks) {
      if (!codecSupported(chunk.codec)) throw new UnsupportedParquetError(`codec ${chunk.codec} (column ${chunk.path.join('.')})`);
      const unsupported = chunk.encodings.find((encoding) => !SUPPORTED_ENCODINGS.has(encoding));
      if (unsupported !== undefined) throw new UnsupportedParquetError(`encoding ${unsupported} (column ${chunk.path.join('.')})`);
      await prepareCodec(chunk.codec);
    }
    const bytes = await this.#readChunks(chunks);
    return {
      length: group.rows,
      columns: this.#columns.map(({ name, type }, c) => decodeColumnChunk(bytes[c], chunks[c], this.footer.leaves[this.#leafIndex[c]], group.rows, name, type, alloc)),
    };
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

/** One row group of a shard with the JavaScript reader: open, check, read. */
export async function readRowGroupWithJs(path: string, rowGroup: number, columns: readonly ColumnSpec[], expected: ShardShape): Promise<DecodedChunk> {
  return (await ShardReader.open(path, columns, expected)).readRowGroup(rowGroup);
}
