import type { ColumnEncoding } from '../../dataset/parquet-settings';
import type { EncoderColumn } from '../../samples/stretch-assembler';
import { ThriftStruct, WireType, writeThriftStruct } from '../thrift-compact';
import { ByteSink } from './byte-sink';
import { encodeDeltaBinaryPacked } from './delta-binary-packed';
import { RleHybridEncoder, bitWidthOf } from './rle-hybrid';
import { columnStatistics } from './column-statistics';
import { ListPieceCursor } from './list-piece-cursor';
import { field, struct } from './thrift-build';
import { ValueDictionary, buildDictionary } from './value-dictionary';

/** Parquet's codes (parquet.thrift). */
export const ParquetType = { INT64: 2, FLOAT: 4 } as const;
export const Encoding = { PLAIN: 0, RLE: 3, DELTA_BINARY_PACKED: 5, RLE_DICTIONARY: 8, BYTE_STREAM_SPLIT: 9 } as const;
export const CompressionCodec = { UNCOMPRESSED: 0, ZSTD: 6 } as const;
const PageType = { DATA_PAGE: 0, DICTIONARY_PAGE: 2 } as const;

export interface ColumnChunkSettings {
  /** The column chunk's codec (CompressionCodec) and what compresses one page's payload with it (into a new array: the payload buffer is reused). */
  codec: number;
  compress: (payload: Uint8Array) => Uint8Array;
  /** A data page ends once its values reach this many bytes (at row boundaries). */
  pageBytes: number;
  /** ...or this many rows. */
  pageRows: number;
  /** A dictionary larger than this is not written: the column chunk is PLAIN. */
  dictionaryPageBytes: number;
}

export interface EncodedColumnChunk {
  /** Page headers and payloads, in file order. */
  pieces: Uint8Array[];
  bytes: number;
  /** ColumnMetaData, its offsets counted from `offset`. */
  meta: ThriftStruct;
}

/**
 * One column chunk of a row group, as Parquet format 1.0 data pages (levels, then values, the
 * whole payload compressed as one frame), preceded by a dictionary page for `dictionary`:
 * - `int64`/`float32` columns are REQUIRED leaves: no levels;
 * - `list<int64>` columns are REQUIRED LIST groups of a REPEATED `list` group of a REQUIRED
 *   `element` (max repetition 1, max definition 1: an empty list is one entry at definition 0).
 * Pages break at row boundaries once their values reach `pageBytes` or `pageRows` rows. A
 * dictionary above `dictionaryPageBytes` falls back to PLAIN for the whole chunk.
 */
export function encodeColumnChunk(column: EncoderColumn, rows: number, encoding: ColumnEncoding, settings: ColumnChunkSettings, offset: number): EncodedColumnChunk {
  const isList = column.type === 'list<int64>';
  const valueBytes = column.type === 'float32' ? 4 : 8;
  const width = (valueBytes / 4) as 1 | 2;
  const offsets = isList ? column.offsets : undefined;
  // a list's values in pieces are copied page by page from where they are, their range folded in on the way
  const listValues = 'pieces' in column ? new ListPieceCursor(column.pieces) : undefined;
  const values = 'pieces' in column ? undefined : column.values;
  const words = values ? new Int32Array(values.buffer, values.byteOffset, values.length * width) : NO_WORDS;
  const valueCount = values ? values.length : offsets![rows];
  if (listValues && encoding !== 'plain') throw new Error(`${column.name}: a list in pieces is written PLAIN only, not ${encoding}`);
  let dictionary: ValueDictionary | undefined;
  if (encoding === 'dictionary') dictionary = buildDictionary(words, width, 0, valueCount, Math.floor(settings.dictionaryPageBytes / valueBytes));
  const valueEncoding = dictionary ? Encoding.RLE_DICTIONARY : encoding === 'delta' ? Encoding.DELTA_BINARY_PACKED : encoding === 'byte-stream-split' ? Encoding.BYTE_STREAM_SPLIT : Encoding.PLAIN;
  if (valueEncoding === Encoding.DELTA_BINARY_PACKED && column.type !== 'int64') throw new Error(`${column.name}: DELTA_BINARY_PACKED applies to int64 columns only`);

  const pieces: Uint8Array[] = [];
  let bytes = 0;
  let uncompressed = 0;
  let levelEntries = 0;
  const payload = pagePayload;
  const writePage = (header: ThriftStruct, body: Uint8Array, bodyUncompressed: number): void => {
    const headerBytes = writeThriftStruct(header);
    pieces.push(headerBytes, body);
    bytes += headerBytes.length + body.length;
    uncompressed += headerBytes.length + bodyUncompressed;
  };
  const compressed = (): Uint8Array => (settings.codec === CompressionCodec.UNCOMPRESSED ? payload.view().slice() : settings.compress(payload.view()));

  let dictionaryPageOffset: number | undefined;
  if (dictionary) {
    dictionaryPageOffset = offset;
    payload.clear();
    payload.bytes(new Uint8Array(dictionary.words.buffer, dictionary.words.byteOffset, dictionary.words.byteLength));
    const body = compressed();
    writePage(
      struct([field.i32(1, PageType.DICTIONARY_PAGE), field.i32(2, payload.length), field.i32(3, body.length), field.struct(7, [field.i32(1, dictionary.size), field.i32(2, Encoding.PLAIN)])]),
      body,
      payload.length,
    );
  }
  const dataPageOffset = offset + bytes;
  let rowTo = 0;
  const indexWidth = dictionary ? bitWidthOf(dictionary.size - 1) : 0;
  if (rows <= 0) throw new Error(`${column.name}: a column chunk needs at least one row`);
  for (let rowFrom = 0; rowFrom < rows; rowFrom = rowTo) {
    // the page's rows: up to pageRows, and until its values reach pageBytes
    if (offsets === undefined) rowTo = Math.min(rows, rowFrom + Math.max(1, Math.min(settings.pageRows, Math.floor(settings.pageBytes / valueBytes))));
    else {
      const limit = Math.min(rows, rowFrom + settings.pageRows);
      const start = offsets[rowFrom];
      rowTo = rowFrom + 1;
      while (rowTo < limit && (offsets[rowTo] - start) * valueBytes < settings.pageBytes) rowTo++;
    }
    const valueFrom = offsets ? offsets[rowFrom] : rowFrom;
    const valueTo = offsets ? offsets[rowTo] : rowTo;
    payload.clear();
    let entries = rowTo - rowFrom;
    if (offsets) entries = writeListLevels(offsets, rowFrom, rowTo, payload);
    levelEntries += entries;
    if (listValues) listValues.copy(valueTo - valueFrom, payload);
    else if (dictionary) writeDictionaryIndices(payload, dictionary.indices, valueFrom, valueTo, indexWidth);
    else if (valueEncoding === Encoding.DELTA_BINARY_PACKED) encodeDeltaBinaryPacked(words, valueFrom, valueTo, payload);
    else if (valueEncoding === Encoding.BYTE_STREAM_SPLIT) writeByteStreamSplit(payload, words, 4 * width, valueFrom, valueTo);
    else payload.bytes(new Uint8Array(words.buffer, words.byteOffset + valueFrom * valueBytes, (valueTo - valueFrom) * valueBytes));
    const body = compressed();
    writePage(
      struct([
        field.i32(1, PageType.DATA_PAGE),
        field.i32(2, payload.length),
        field.i32(3, body.length),
        field.struct(5, [field.i32(1, entries), field.i32(2, valueEncoding), field.i32(3, Encoding.RLE), field.i32(4, Encoding.RLE)]),
      ]),
      body,
      payload.length,
    );
  }
  const encodings = [...new Set([dictionary ? Encoding.PLAIN : valueEncoding, Encoding.RLE, valueEncoding])].sort((a, b) => a - b);
  const path = isList ? [column.name, 'list', 'element'] : [column.name];
  const statistics = columnStatistics(column, rows, listValues?.range);
  const meta = struct([
    field.i32(1, column.type === 'float32' ? ParquetType.FLOAT : ParquetType.INT64),
    field.list(2, WireType.I32, encodings),
    field.list(3, WireType.Binary, path.map((part) => new TextEncoder().encode(part))),
    field.i32(4, settings.codec),
    field.i64(5, offsets ? levelEntries : rows),
    field.i64(6, uncompressed),
    field.i64(7, bytes),
    field.i64(9, dataPageOffset),
    dictionaryPageOffset === undefined ? undefined : field.i64(11, dictionaryPageOffset),
    statistics === undefined ? undefined : field.struct(12, statistics),
  ]);
  return { pieces, bytes, meta };
}

const NO_WORDS = new Int32Array(0);

/** One page's payload at a time, reused from page to page and chunk to chunk (encoding is synchronous, one column chunk at a time per thread). */
const pagePayload = new ByteSink(1 << 20);

/*
 * The loops below sit in functions with nothing after the loop but a return: code V8 compiles
 * while a loop runs (on-stack replacement) is reused at the next call, and a statement after the
 * loop that had not run yet (such as `finish()`) made it deoptimize, with the encoder it was
 * inlined into, at every call.
 */

/** A v1 data page's levels for list rows `from`..`to`: repetition, then definition, each with its 4-byte length. Returns the entries. */
function writeListLevels(offsets: Int32Array, from: number, to: number, sink: ByteSink): number {
  let lengthAt = startLengthPrefixed(sink);
  const repetition = new RleHybridEncoder(sink, 1);
  writeRepetitionLevels(offsets, from, to, repetition);
  repetition.finish();
  endLengthPrefixed(sink, lengthAt);
  lengthAt = startLengthPrefixed(sink);
  const definition = new RleHybridEncoder(sink, 1);
  const entries = writeDefinitionLevels(offsets, from, to, definition);
  definition.finish();
  endLengthPrefixed(sink, lengthAt);
  return entries;
}

/** Leaves room for a 4-byte length; returns where it goes. */
function startLengthPrefixed(sink: ByteSink): number {
  const lengthAt = sink.length;
  sink.reserve(4);
  sink.length += 4;
  return lengthAt;
}

/** Writes at `lengthAt` the little-endian length of what follows it. */
function endLengthPrefixed(sink: ByteSink, lengthAt: number): void {
  sink.setUint32At(lengthAt, sink.length - lengthAt - 4);
}

/** Per row: 0 for its first entry, 1 for each further one (an empty list is one entry). */
function writeRepetitionLevels(offsets: Int32Array, from: number, to: number, levels: RleHybridEncoder): void {
  for (let row = from; row < to; row++) {
    levels.run(0, 1);
    levels.run(1, offsets[row + 1] - offsets[row] - 1);
  }
}

/** Per row: 1 for each of its values, or one 0 for an empty list. Returns the entries. */
function writeDefinitionLevels(offsets: Int32Array, from: number, to: number, levels: RleHybridEncoder): number {
  let entries = 0;
  for (let row = from; row < to; row++) {
    const length = offsets[row + 1] - offsets[row];
    if (length === 0) {
      levels.run(0, 1);
      entries++;
    } else {
      levels.run(1, length);
      entries += length;
    }
  }
  return entries;
}

/** RLE_DICTIONARY values: the index bit width, then the indices `from`..`to` in the RLE/bit-packing hybrid. */
function writeDictionaryIndices(sink: ByteSink, all: Int32Array, from: number, to: number, indexWidth: number): void {
  sink.byte(indexWidth);
  const indices = new RleHybridEncoder(sink, indexWidth);
  writeIndexRuns(all, from, to, indices);
  indices.finish();
}

/** One call per run of equal indices (what `run` would merge anyway): session-constant columns have long runs. */
function writeIndexRuns(all: Int32Array, from: number, to: number, indices: RleHybridEncoder): void {
  for (let i = from; i < to; ) {
    const index = all[i];
    let end = i + 1;
    while (end < to && all[end] === index) end++;
    indices.run(index, end - i);
    i = end;
  }
}

/** BYTE_STREAM_SPLIT: byte k of every value, for k = 0 .. valueBytes - 1. */
function writeByteStreamSplit(sink: ByteSink, words: Int32Array, valueBytes: number, from: number, to: number): void {
  const count = to - from;
  const source = new Uint8Array(words.buffer, words.byteOffset + from * valueBytes, count * valueBytes);
  sink.reserve(source.length);
  const out = sink.buffer;
  const base = sink.length;
  for (let k = 0; k < valueBytes; k++) {
    const stream = base + k * count;
    for (let i = 0; i < count; i++) out[stream + i] = source[i * valueBytes + k];
  }
  sink.length += source.length;
}
