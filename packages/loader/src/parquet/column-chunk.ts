/**
 * One column chunk (a column of one row group) from its pages to a SampleColumn: float32, int64
 * or list<int64>, no nulls. Pages may be data pages v1 or v2, PLAIN or dictionary encoded (or
 * DELTA_BINARY_PACKED / BYTE_STREAM_SPLIT, decoded to PLAIN bytes first), with
 * any supported codec; levels are RLE/bit-packed. Values are copied as raw little-endian words
 * (Int32 pairs for int64), never through BigInt, so no per-value object is created.
 */
import { SchemaError } from '@recd/core';
import type { SampleColumnType } from '@recd/datagen';
import type { DecodedColumn } from '../dictionary-ids';
import { byteStreamSplitToPlain } from './byte-stream-split';
import { decompress } from './decompress';
import { deltaBinaryPackedToPlain } from './delta-binary-packed';
import { ColumnChunkMeta, ParquetLeaf, PhysicalType } from './footer';
import { bitWidthOf, decodeHybrid, entriesBelow, leadingRunValue, rowStartsOfRepetition } from './rle-hybrid';
import { ThriftReader, ThriftStruct, field, isNumber, isStruct } from './thrift-compact';
import { UnsupportedParquetError } from './unsupported';

const DATA_PAGE = 0;
const INDEX_PAGE = 1;
const DICTIONARY_PAGE = 2;
const DATA_PAGE_V2 = 3;
const PLAIN = 0;
const PLAIN_DICTIONARY = 2;
const RLE = 3;
const DELTA_BINARY_PACKED = 5;
const RLE_DICTIONARY = 8;
const BYTE_STREAM_SPLIT = 9;

/** Value encodings and level encodings this reader decodes (parquet.thrift Encoding ids). */
export const SUPPORTED_ENCODINGS: ReadonlySet<number> = new Set([PLAIN, PLAIN_DICTIONARY, RLE, DELTA_BINARY_PACKED, RLE_DICTIONARY, BYTE_STREAM_SPLIT]);

/**
 * Output being filled. int64 columns of a chunk with dictionary pages start as codes (kept coded,
 * see dictionary-ids); a PLAIN page (a writer's dictionary fallback) turns them into values.
 * Values are 32-bit words: 2 per int64, 1 per float32.
 */
interface Target {
  wordsPerValue: 1 | 2;
  capacity: number;
  words: Int32Array | undefined;
  codes: Int32Array | undefined;
  /** Values (or codes) written so far. */
  count: number;
  /** list<int64>: offsets[r] for each row started so far. */
  offsets: Int32Array | undefined;
  rows: number;
  alloc: WordAllocator;
}

/** Zeroed Int32Arrays of exactly `words` words for the decoded column (e.g. from a BufferPool); default: new arrays. */
export type WordAllocator = (words: number) => Int32Array;

const newWords: WordAllocator = (words) => new Int32Array(words);

export function decodeColumnChunk(bytes: Uint8Array, chunk: ColumnChunkMeta, leaf: ParquetLeaf, rows: number, name: string, type: SampleColumnType, alloc: WordAllocator = newWords): DecodedColumn {
  const wordsPerValue = type === 'float32' ? 1 : 2;
  const capacity = type === 'list<int64>' ? chunk.numValues : rows;
  // ids stay coded when the chunk has dictionary pages (the metadata lists every encoding it uses)
  const coded = type !== 'float32' && chunk.encodings.some((encoding) => encoding === PLAIN_DICTIONARY || encoding === RLE_DICTIONARY);
  const target: Target = {
    wordsPerValue,
    capacity,
    words: coded ? undefined : alloc(capacity * wordsPerValue),
    codes: coded ? alloc(capacity) : undefined,
    count: 0,
    offsets: type === 'list<int64>' ? alloc(rows + 1) : undefined,
    rows: 0,
    alloc,
  };
  let dictionary: Int32Array | undefined;
  let pos = 0;
  while (pos < bytes.length) {
    const reader = new ThriftReader(bytes, pos);
    const header = reader.readStruct();
    pos = reader.pos;
    const pageType = field(header, 1, 'page type', isNumber);
    const size = field(header, 2, 'uncompressed_page_size', isNumber);
    const stored = field(header, 3, 'compressed_page_size', isNumber);
    if (stored < 0 || pos + stored > bytes.length) throw new Error(`column "${name}": a page of ${stored} bytes runs past the column chunk`);
    const page = bytes.subarray(pos, pos + stored);
    pos += stored;
    if (pageType === DICTIONARY_PAGE) {
      const dictionaryHeader = field(header, 7, 'dictionary_page_header', isStruct);
      const encoding = field(dictionaryHeader, 2, 'encoding', isNumber);
      if (encoding !== PLAIN && encoding !== PLAIN_DICTIONARY) throw new UnsupportedParquetError(`dictionary pages with encoding ${encoding}`);
      const entries = field(dictionaryHeader, 1, 'num_values', isNumber);
      const data = decompress(page, chunk.codec, size);
      if (data.length < entries * wordsPerValue * 4) throw new Error(`column "${name}": a dictionary of ${entries} entries in ${data.length} bytes`);
      dictionary = copyWords(data, 0, entries * wordsPerValue);
    } else if (pageType === DATA_PAGE) {
      decodeDataPage(page, field(header, 5, 'data_page_header', isStruct), size, chunk, leaf, name, target, dictionary, false);
    } else if (pageType === DATA_PAGE_V2) {
      decodeDataPage(page, field(header, 8, 'data_page_header_v2', isStruct), size, chunk, leaf, name, target, dictionary, true);
    } else if (pageType !== INDEX_PAGE) {
      throw new Error(`column "${name}": unknown page type ${pageType}`);
    }
  }
  const decodedRows = target.offsets ? target.rows : target.count;
  if (decodedRows !== rows) throw new Error(`column "${name}": decoded ${decodedRows} rows, the row group has ${rows}`);
  if (target.offsets) target.offsets[rows] = target.count;
  if (target.codes && dictionary) {
    const coded = { name, codes: target.codes.subarray(0, target.count), dictionary: new BigInt64Array(dictionary.buffer, 0, dictionary.length / 2) };
    return type === 'list<int64>' ? { ...coded, type, offsets: target.offsets } : { ...coded, type: 'int64', offsets: undefined };
  }
  const words = target.words ?? new Int32Array(0); // codes without a dictionary: no values at all
  if (type === 'float32') return { name, type, values: new Float32Array(words.buffer, 0, rows) };
  const values = new BigInt64Array(words.buffer, 0, target.count);
  if (type === 'int64') return { name, type, values };
  return { name, type, offsets: target.offsets!, values };
}

function decodeDataPage(page: Uint8Array, header: ThriftStruct, size: number, chunk: ColumnChunkMeta, leaf: ParquetLeaf, name: string, target: Target, dictionary: Int32Array | undefined, v2: boolean): void {
  const entries = field(header, 1, 'num_values', isNumber);
  const encoding = field(header, v2 ? 4 : 2, 'encoding', isNumber);
  // where the levels are: [repetition, definition) and [definition, values) of `levels`
  let levels: Uint8Array;
  let data: Uint8Array;
  let repetition = 0;
  let repetitionEnd = 0;
  let definition = 0;
  let values = 0;
  if (v2) {
    // levels first, never compressed and without length prefixes; then the (maybe compressed) values
    const repetitionBytes = field(header, 6, 'repetition_levels_byte_length', isNumber);
    const definitionBytes = field(header, 5, 'definition_levels_byte_length', isNumber);
    if (repetitionBytes + definitionBytes > page.length) throw new Error(`column "${name}": the levels of a page run past it`);
    levels = page;
    repetitionEnd = definition = repetitionBytes;
    values = repetitionBytes + definitionBytes;
    data = header.get(7) !== false ? decompress(page.subarray(values), chunk.codec, size - values) : page.subarray(values);
  } else {
    levels = data = decompress(page, chunk.codec, size);
    const skipPrefixed = (from: number, levelEncoding: number): number => {
      if (levelEncoding !== RLE) throw new UnsupportedParquetError(`levels with encoding ${levelEncoding}`);
      if (from + 4 > data.length) throw new Error(`column "${name}": a page ends inside its levels`);
      const length = data[from] | (data[from + 1] << 8) | (data[from + 2] << 16) | (data[from + 3] << 24);
      if (length < 0 || from + 4 + length > data.length) throw new Error(`column "${name}": the levels of a page run past it`);
      return from + 4 + length;
    };
    repetition = leaf.maxRepetition > 0 ? 4 : 0;
    definition = leaf.maxRepetition > 0 ? skipPrefixed(0, field(header, 4, 'repetition_level_encoding', isNumber)) : 0;
    values = leaf.maxDefinition > 0 ? skipPrefixed(definition, field(header, 3, 'definition_level_encoding', isNumber)) : definition;
    repetitionEnd = definition;
    if (leaf.maxDefinition > 0) definition += 4;
  }
  const definitionEnd = values;
  const allPresent = leaf.maxDefinition === 0 || leadingRunValue(levels, definition, definitionEnd, bitWidthOf(leaf.maxDefinition), entries) === leaf.maxDefinition;
  let present = entries;
  if (leaf.maxRepetition > 0) {
    if (target.offsets === undefined) throw new Error(`column "${name}": repeated values in a column that is not a list`);
    // entries without a value: empty lists (a definition level one below the repeated group's)
    let gaps: Int32Array | undefined;
    if (!allPresent) {
      gaps = entriesBelow(levels, definition, definitionEnd, bitWidthOf(leaf.maxDefinition), entries, leaf.maxDefinition, leaf.repeatedDefinition - 1);
      if (gaps === undefined) throw new SchemaError(`column "${name}": expected no nulls, found a null list or list element`);
      present = entries - gaps.length;
    }
    const start = target.rows;
    target.rows = rowStartsOfRepetition(levels, repetition, repetitionEnd, bitWidthOf(leaf.maxRepetition), entries, target.offsets, start, target.count, gaps);
    if (start === 0 && target.offsets[0] !== 0) throw new Error(`column "${name}": the first entry continues a row`);
  } else {
    if (target.offsets) throw new Error(`column "${name}": a list column without repetition levels`);
    // every entry below the maximum definition level is a null
    if (!allPresent && entriesBelow(levels, definition, definitionEnd, bitWidthOf(leaf.maxDefinition), entries, leaf.maxDefinition, -1) === undefined) {
      throw new SchemaError(`column "${name}": expected no nulls, found a null value`);
    }
  }
  readValues(data, v2 ? 0 : values, encoding, present, target, dictionary, name);
}

function readValues(data: Uint8Array, pos: number, encoding: number, count: number, target: Target, dictionary: Int32Array | undefined, name: string): void {
  const width = target.wordsPerValue;
  if (target.count + count > target.capacity) throw new Error(`column "${name}": more values than the column chunk metadata says`);
  if (encoding === PLAIN) {
    if (target.codes) {
      // a PLAIN page after dictionary pages: the values so far become ids
      target.words = target.alloc(target.capacity * width);
      if (target.count > 0) lookUp(target.codes.subarray(0, target.count), dictionary!, width, target.words, 0, name);
      target.codes = undefined;
    }
    const bytes = count * width * 4;
    if (pos + bytes > data.length) throw new Error(`column "${name}": a page holds fewer values than its levels say`);
    new Uint8Array(target.words!.buffer, target.count * width * 4, bytes).set(data.subarray(pos, pos + bytes));
  } else if (encoding === PLAIN_DICTIONARY || encoding === RLE_DICTIONARY) {
    if (dictionary === undefined) throw new Error(`column "${name}": a dictionary-encoded page without a dictionary page`);
    if (count > 0) {
      if (pos >= data.length) throw new Error(`column "${name}": a dictionary-encoded page without indices`);
      if (target.codes) {
        decodeHybrid(data, pos + 1, data.length, data[pos], target.codes.subarray(target.count, target.count + count), count);
      } else {
        const indices = new Int32Array(count);
        decodeHybrid(data, pos + 1, data.length, data[pos], indices, count);
        lookUp(indices, dictionary, width, target.words!, target.count * width, name);
      }
    }
  } else if ((encoding === DELTA_BINARY_PACKED && width === 2) || encoding === BYTE_STREAM_SPLIT) {
    // decoded to PLAIN bytes, then read as a PLAIN page
    const plain = encoding === BYTE_STREAM_SPLIT ? byteStreamSplitToPlain(data, pos, count, width * 4, name) : deltaBinaryPackedToPlain(data, pos, count, name);
    return readValues(plain, 0, PLAIN, count, target, dictionary, name);
  } else {
    throw new UnsupportedParquetError(`values with encoding ${encoding}`);
  }
  target.count += count;
}

function lookUp(indices: Int32Array, dictionary: Int32Array, width: 1 | 2, out: Int32Array, at: number, name: string): void {
  const entries = dictionary.length / width;
  if (width === 1) {
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i];
      if (index >>> 0 >= entries) throw new Error(`column "${name}": dictionary index ${index} of ${entries} entries`);
      out[at + i] = dictionary[index];
    }
    return;
  }
  for (let i = 0, o = at; i < indices.length; i++, o += 2) {
    const index = indices[i];
    if (index >>> 0 >= entries) throw new Error(`column "${name}": dictionary index ${index} of ${entries} entries`);
    out[o] = dictionary[2 * index];
    out[o + 1] = dictionary[2 * index + 1];
  }
}

/** `words` 32-bit little-endian words from `data` at byte `pos`, into an aligned array of their own. */
function copyWords(data: Uint8Array, pos: number, words: number): Int32Array {
  const out = new Int32Array(words);
  new Uint8Array(out.buffer).set(data.subarray(pos, pos + words * 4));
  return out;
}

/** The sample type a leaf stores, or undefined when it is none of float32, int64, list<int64>. */
export function sampleTypeOfLeaf(leaf: ParquetLeaf): SampleColumnType | undefined {
  if (leaf.maxRepetition === 0 && leaf.physicalType === PhysicalType.Float) return 'float32';
  if (leaf.maxRepetition === 0 && leaf.plainInteger) return 'int64';
  if (leaf.maxRepetition === 1 && leaf.plainInteger) return 'list<int64>';
  return undefined;
}
