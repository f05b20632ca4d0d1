/**
 * Native files read by another engine: DuckDB (@duckdb/node-api) gives the same per-column
 * counts, sums, minima and maxima as the rows written, for a file with a column in every
 * encoding, and its parquet_metadata shows the column chunk statistics the format asks for:
 * int64 min/max compared signed, float32 by value without NaN (a zero minimum written -0, a zero
 * maximum +0), null_count of a list's leaf counting its empty lists; the same as the twin
 * (parquet-wasm) writes for those rows.
 */
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { DatasetWriterOptions, SampleChunk, SampleColumn } from '../src/dataset';
import { sliceSampleChunk } from '../src/dataset/sample-chunk-slice';
import { edgeChunk, randomChunk, tempRoot, writeShard } from './native-helpers';

jest.setTimeout(120_000);

const temp = tempRoot('recd-native-stats-');
let duck: DuckDBConnection;
beforeAll(async () => {
  duck = await (await DuckDBInstance.create(':memory:')).connect();
});
afterAll(() => {
  duck?.closeSync();
  temp.cleanup();
});

const ROW_GROUP = 150;

/** Columns in every encoding: the same random values under several names, and floats whose extremes are zeros. */
function statisticsChunk(rows: number, seed: number): SampleChunk {
  const base = randomChunk(rows, seed, { longLists: true });
  const column = (name: string): SampleColumn => base.columns.find((c) => c.name === name)!;
  const id = column('id').values as BigInt64Array;
  const score = column('score').values as Float32Array;
  const floats = (name: string, values: Float32Array): SampleColumn => ({ name, type: 'float32', values });
  const int64s = (name: string, values: BigInt64Array): SampleColumn => ({ name, type: 'int64', values });
  return {
    length: rows,
    columns: [
      column('label'),
      int64s('id_plain', id),
      int64s('id_dictionary', id),
      int64s('id_delta', id),
      int64s('id_bss', id),
      int64s('ts_delta', column('ts').values as BigInt64Array),
      floats('score_plain', score),
      floats('score_dictionary', score),
      floats('score_bss', score),
      floats('zeros', Float32Array.from({ length: rows }, (_, i) => (i % 3 === 0 ? -0 : 0))),
      floats('nonnegative', Float32Array.from({ length: rows }, (_, i) => (i % 5 === 0 ? 0 : i))),
      floats('nonpositive', Float32Array.from({ length: rows }, (_, i) => (i % 4 === 1 ? -0 : -i))),
      floats('nan', new Float32Array(rows).fill(NaN)),
      column('items'),
      column('none'),
    ],
  };
}

const ENCODINGS = {
  id_plain: 'plain',
  id_dictionary: 'dictionary',
  id_delta: 'delta',
  id_bss: 'byte-stream-split',
  ts_delta: 'delta',
  score_plain: 'plain',
  score_dictionary: 'dictionary',
  score_bss: 'byte-stream-split',
} as const;

const quoted = (file: string): string => `'${file.replace(/'/g, "''")}'`;
const normalZero = (x: number): number => (x === 0 ? 0 : x);

async function rowOf(sql: string): Promise<unknown[]> {
  return (await duck.runAndReadAll(sql)).getRows()[0];
}

/** The int64 values of a column (list values for a list), and for lists the row lengths. */
function int64Values(column: SampleColumn): bigint[] {
  return column.type === 'list<int64>' ? Array.from(column.values.subarray(column.offsets[0], column.offsets[column.offsets.length - 1])) : Array.from(column.values as BigInt64Array);
}

async function checkAggregates(file: string, chunk: SampleChunk): Promise<void> {
  const source = `read_parquet(${quoted(file)})`;
  expect(await rowOf(`select count(*)::varchar from ${source}`)).toEqual([String(chunk.length)]);
  for (const column of chunk.columns) {
    const name = column.name;
    // DuckDB (1.x) reads BYTE_STREAM_SPLIT only on FLOAT/DOUBLE: the int64 one (Parquet 2.11) is checked by the other tests
    if (name === 'id_bss') continue;
    if (column.type === 'float32') {
      const values = Array.from(column.values);
      const finite = values.filter(Number.isFinite);
      const compared = values.filter((x) => !Number.isNaN(x));
      const [nans, posInf, negInf, min, max, sum] = await rowOf(
        `select count(*) filter (where isnan(${name})), count(*) filter (where ${name} = 'inf'::float), count(*) filter (where ${name} = '-inf'::float),
           min(${name}) filter (where not isnan(${name})), max(${name}) filter (where not isnan(${name})), coalesce(sum(${name}::double) filter (where isfinite(${name})), 0) from ${source}`,
      );
      expect([name, Number(nans), Number(posInf), Number(negInf)]).toEqual([name, values.length - compared.length, values.filter((x) => x === Infinity).length, values.filter((x) => x === -Infinity).length]);
      if (compared.length > 0) {
        expect([name, normalZero(min as number), normalZero(max as number)]).toEqual([name, normalZero(Math.min(...compared)), normalZero(Math.max(...compared))]);
      }
      const expectedSum = finite.reduce((a, b) => a + b, 0);
      expect(Math.abs((sum as number) - expectedSum)).toBeLessThanOrEqual(1e-9 * Math.max(1, ...finite.map(Math.abs)) * finite.length);
      continue;
    }
    const values = int64Values(column);
    const expected = values.length === 0 ? [null, null, null] : [values.reduce((a, b) => a + b, 0n), values.reduce((a, b) => (b < a ? b : a)), values.reduce((a, b) => (b > a ? b : a))].map(String);
    if (column.type === 'int64') {
      expect([name, ...(await rowOf(`select sum(${name}::hugeint)::varchar, min(${name})::varchar, max(${name})::varchar from ${source}`))]).toEqual([name, ...expected]);
    } else {
      const offsets = column.offsets;
      const empty = Array.from({ length: chunk.length }, (_, i) => offsets[i + 1] === offsets[i]).filter(Boolean).length;
      expect([name, ...(await rowOf(`select sum(v::hugeint)::varchar, min(v)::varchar, max(v)::varchar from (select unnest(${name}) as v from ${source})`))]).toEqual([name, ...expected]);
      expect([name, ...(await rowOf(`select sum(len(${name}))::varchar, (count(*) filter (where len(${name}) = 0))::varchar from ${source}`))]).toEqual([name, String(values.length), String(empty)]);
    }
  }
}

/**
 * A column chunk's expected statistics as parquet_metadata shows them: [min, max, null count].
 * DuckDB shows float stats as text (shortest round trip; zeros "0.0" and "-0.0") and an infinite
 * one as NULL (it does so for parquet-wasm's files too); no min/max without a value to compare.
 */
function expectedStatistics(column: SampleColumn, rows: number): [string | null, string | null, string] {
  if (column.type === 'float32') {
    const compared = Array.from(column.values).filter((x) => !Number.isNaN(x));
    if (compared.length === 0) return [null, null, '0'];
    const show = (x: number): string | null => (Number.isFinite(x) ? (Object.is(x, -0) ? '-0.0' : x === 0 ? '0.0' : String(x)) : null);
    const min = Math.min(...compared);
    const max = Math.max(...compared);
    return [show(min === 0 ? -0 : min), show(max === 0 ? 0 : max), '0'];
  }
  const values = int64Values(column);
  const nulls = column.type === 'list<int64>' ? Array.from({ length: rows }, (_, i) => column.offsets[i + 1] === column.offsets[i]).filter(Boolean).length : 0;
  if (values.length === 0) return [null, null, String(nulls)];
  return [String(values.reduce((a, b) => (b < a ? b : a))), String(values.reduce((a, b) => (b > a ? b : a))), String(nulls)];
}

/** DuckDB's float text back to a float32 (its shortest round-trip form), to compare with the values. */
const floatOf = (text: string | null): number | null => (text === null ? null : Math.fround(Number(text)));

interface ChunkMetadata {
  group: number;
  path: string;
  min: string | null;
  max: string | null;
  nulls: string;
  /** Type, codec, encodings and value count (levels for lists), as text. */
  shape: string;
}

async function metadataOf(file: string): Promise<ChunkMetadata[]> {
  const rows = (
    await duck.runAndReadAll(
      `select row_group_id, path_in_schema, stats_min_value, stats_max_value, stats_null_count, concat_ws(' ', type, compression, encodings, num_values) from parquet_metadata(${quoted(file)}) order by row_group_id, column_id`,
    )
  ).getRows();
  return rows.map(([group, path, min, max, nulls, shape]) => ({ group: Number(group), path: String(path).split(', ')[0], min: min as string | null, max: max as string | null, nulls: String(nulls), shape: String(shape) }));
}

async function checkStatistics(file: string, chunk: SampleChunk): Promise<void> {
  const metadata = await metadataOf(file);
  const groups = Math.ceil(chunk.length / ROW_GROUP);
  expect(metadata.length).toBe(groups * chunk.columns.length);
  for (let g = 0; g < groups; g++) {
    const part = sliceSampleChunk(chunk, g * ROW_GROUP, Math.min(chunk.length, (g + 1) * ROW_GROUP));
    part.columns.forEach((column, c) => {
      const found = metadata[g * chunk.columns.length + c];
      expect(found.path).toBe(column.name);
      const [min, max, nulls] = expectedStatistics(column, part.length);
      if (column.type === 'float32') {
        // compared as float32 values, -0 and +0 apart
        expect([column.name, g, floatOf(found.min), floatOf(found.max), found.nulls]).toEqual([column.name, g, floatOf(min), floatOf(max), nulls]);
        if (min === '-0.0' || max === '0.0') expect([column.name, g, found.min === '-0.0', found.max === '0.0']).toEqual([column.name, g, min === '-0.0', max === '0.0']);
      } else expect([column.name, g, found.min, found.max, found.nulls]).toEqual([column.name, g, min, max, nulls]);
    });
  }
}

const EDGE_ENCODINGS = { label: 'dictionary', nan: 'dictionary', id: 'dictionary', ts: 'delta' } as const;

describe.each<[string, Omit<DatasetWriterOptions, 'shards'>, () => SampleChunk]>([
  ['every encoding, zstd, list dictionary', { codec: 'zstd', listEncoding: 'dictionary', columnEncodings: ENCODINGS }, () => statisticsChunk(500, 1)],
  ['every encoding, uncompressed, list plain, encoder threads', { codec: 'none', listEncoding: 'plain', encoderThreads: 2, columnEncodings: ENCODINGS }, () => statisticsChunk(500, 2)],
  ['edge shapes (constant columns: dictionaries of one value)', { codec: 'zstd', listEncoding: 'dictionary', columnEncodings: EDGE_ENCODINGS }, () => edgeChunk(400)],
])('a native file: %s', (name, options, makeChunk) => {
  const chunk = makeChunk();
  const settings = { ...options, rowGroupSize: ROW_GROUP, dataPageSizeBytes: 200 };
  let nativeFile: string;
  beforeAll(async () => {
    nativeFile = await writeShard(temp.dir(`native-${name}`), [chunk], { ...settings, pageEncoder: 'native' });
  });

  test('DuckDB reads the counts, sums, minima and maxima of the rows written', async () => {
    await checkAggregates(nativeFile, chunk);
  });

  test('parquet_metadata shows each row group column chunk min/max/null count of its rows', async () => {
    await checkStatistics(nativeFile, chunk);
  });

  test('the statistics, types, codecs, encodings and value counts are those parquet-wasm writes for the same rows', async () => {
    const wasmFile = await writeShard(temp.dir(`wasm-${name}`), [chunk], { ...settings, pageEncoder: 'parquet-wasm' });
    expect(await metadataOf(nativeFile)).toEqual(await metadataOf(wasmFile));
  });
});
