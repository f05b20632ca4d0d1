/**
 * ZSTD at a chosen level (encode/zstd-pages.ts) against its plain twin, parquet-wasm's own ZSTD:
 * the recompressed file decodes (in parquet-wasm) to exactly the table that was written, for v1
 * and v2 pages, dictionary and PLAIN values, one page or many per column chunk, with and without
 * page indexes; its footer says ZSTD and its offsets point at the pages.
 */
import { Field, Float32, Int64, List, Table, tableToIPC, vectorFromArray } from 'apache-arrow';
import { Compression, Table as WasmTable, WriterPropertiesBuilder, WriterVersion, readParquet, writeParquet } from 'parquet-wasm/node';
import { ColumnChunkField, ColumnMetaDataField, FileMetaDataField, RowGroupField, i32Field, i64Field, readParquetFooter } from '../src/encode/parquet-footer';
import { ThriftList, ThriftStruct, readThriftStruct, thriftField } from '../src/encode/thrift-compact';
import { prepareZstd, zstdCompressPages } from '../src/encode/zstd-pages';

beforeAll(() => prepareZstd());

function sampleTable(rows: number): Table {
  let state = 17;
  const random = (): number => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648;
  const lists = Array.from({ length: rows }, (_, i) => Array.from({ length: i % 13 }, () => BigInt(Math.floor(random() * 400))));
  return new Table({
    label: vectorFromArray(Array.from({ length: rows }, () => (random() < 0.2 ? 1 : 0)), new Float32()),
    session_id: vectorFromArray(Array.from({ length: rows }, (_, i) => BigInt(Math.floor(i / 7))), new Int64()),
    item_id: vectorFromArray(Array.from({ length: rows }, () => BigInt(Math.floor(random() * random() * 3000))), new Int64()),
    prefix: vectorFromArray(lists, new List(new Field('item', new Int64(), true))),
  });
}

function written(table: Table, compression: Compression, version: WriterVersion, dictionary: boolean, pageBytes: number, rowGroupSize: number): Uint8Array {
  const properties = new WriterPropertiesBuilder()
    .setCompression(compression)
    .setWriterVersion(version)
    .setDictionaryEnabled(dictionary)
    .setDataPageSizeLimit(pageBytes)
    .setMaxRowGroupSize(rowGroupSize)
    .build();
  return writeParquet(WasmTable.fromIPCStream(tableToIPC(table, 'stream')), properties);
}

function decoded(file: Uint8Array): Uint8Array {
  return readParquet(file).intoIPCStream();
}

function columnMetas(file: Uint8Array): ThriftStruct[] {
  const { metadata } = readParquetFooter(file, 'test');
  const groups = (thriftField(metadata, FileMetaDataField.rowGroups)!.value as ThriftList).items as ThriftStruct[];
  return groups.flatMap((group) =>
    ((thriftField(group, RowGroupField.columns)!.value as ThriftList).items as ThriftStruct[]).map((column) => thriftField(column, ColumnChunkField.metaData)!.value as ThriftStruct),
  );
}

const variants = [
  { name: 'v1 pages, dictionary, one row group', version: WriterVersion.V1, dictionary: true, pageBytes: 1 << 20, rowGroupSize: 10_000 },
  { name: 'v1 pages, PLAIN, 256-byte pages, row groups of 300', version: WriterVersion.V1, dictionary: false, pageBytes: 256, rowGroupSize: 300 },
  { name: 'v2 pages, dictionary, 512-byte pages, row groups of 700', version: WriterVersion.V2, dictionary: true, pageBytes: 512, rowGroupSize: 700 },
  { name: 'v2 pages, no dictionary (DELTA_BINARY_PACKED)', version: WriterVersion.V2, dictionary: false, pageBytes: 1 << 20, rowGroupSize: 1000 },
];

describe('zstdCompressPages', () => {
  const table = sampleTable(2500);

  test.each(variants)('$name: decodes to the same table as the uncompressed and the level-1 file', ({ version, dictionary, pageBytes, rowGroupSize }) => {
    const plain = written(table, Compression.UNCOMPRESSED, version, dictionary, pageBytes, rowGroupSize);
    const levelOne = written(table, Compression.ZSTD, version, dictionary, pageBytes, rowGroupSize);
    const expected = decoded(plain);
    expect(Buffer.from(decoded(levelOne)).equals(Buffer.from(expected))).toBe(true);
    for (const level of [1, 3, 9]) {
      const file = zstdCompressPages(plain, level, 'test');
      expect(Buffer.from(decoded(file)).equals(Buffer.from(expected))).toBe(true);
      expect(file.length).toBeLessThan(plain.length);
      for (const meta of columnMetas(file)) expect(i32Field(meta, ColumnMetaDataField.codec)).toBe(6);
      // the first page of each chunk sits where the footer says
      for (const meta of columnMetas(file)) {
        const start = Number(i64Field(meta, ColumnMetaDataField.dictionaryPageOffset) ?? i64Field(meta, ColumnMetaDataField.dataPageOffset)!);
        const { struct } = readThriftStruct(file, start);
        expect(i32Field(struct, 2)).toBeGreaterThanOrEqual(0); // uncompressed_page_size: a page header parses there
      }
    }
  });

  it('is deterministic and compresses more at higher levels on repetitive data', () => {
    const plain = written(table, Compression.UNCOMPRESSED, WriterVersion.V1, false, 1 << 20, 10_000);
    const three = zstdCompressPages(plain, 3, 'test');
    expect(Buffer.from(zstdCompressPages(plain, 3, 'test')).equals(Buffer.from(three))).toBe(true);
    expect(zstdCompressPages(plain, 19, 'test').length).toBeLessThanOrEqual(three.length);
  });

  it('refuses a file whose pages are already compressed', () => {
    const snappy = written(table, Compression.SNAPPY, WriterVersion.V1, true, 1 << 20, 10_000);
    expect(() => zstdCompressPages(snappy, 3, 'snappy.parquet')).toThrow(/snappy.parquet: expected UNCOMPRESSED pages/);
  });
});
