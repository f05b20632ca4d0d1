import type { EncoderColumn } from '../../samples/stretch-assembler';
import { Int64Range } from './int64-range';
import type { ThriftField } from '../thrift-compact';
import { field } from './thrift-build';

/**
 * A column chunk's Statistics fields: max and min (deprecated, as the parquet crate still writes them), null_count (for a list's leaf: its empty lists, the entries
 * at definition level 0), and min_value/max_value (PLAIN bytes; int64 compared signed, float32 by
 * value with NaN left out, a zero minimum written -0 and a zero maximum +0 as the format asks).
 * Undefined min/max when there is no value to compare. A list whose values come in pieces gives
 * its range (`listRange`), folded in while its pages were written.
 */
export function columnStatistics(column: EncoderColumn, rows: number, listRange?: Int64Range): ThriftField[] | undefined {
  const nulls = column.type === 'list<int64>' ? emptyLists(column.offsets, rows) : 0;
  let range: { min: Uint8Array; max: Uint8Array } | undefined;
  if (listRange !== undefined) range = listRange.bytes();
  else if ('pieces' in column) throw new Error(`${column.name}: the range of a list in pieces is folded in as its pages are written`);
  else range = column.type === 'float32' ? float32Range(column.values) : int64Range(column.values);
  if (range === undefined) return [field.i64(3, nulls)];
  // the deprecated max/min too (older readers use them; for signed int64 and float they mean the same)
  return [field.binary(1, range.max), field.binary(2, range.min), field.i64(3, nulls), field.binary(5, range.max), field.binary(6, range.min)];
}

function emptyLists(offsets: Int32Array, rows: number): number {
  let empty = 0;
  for (let row = 0; row < rows; row++) if (offsets[row + 1] === offsets[row]) empty++;
  return empty;
}

function int64Range(values: BigInt64Array): { min: Uint8Array; max: Uint8Array } | undefined {
  const range = new Int64Range();
  range.add(new Int32Array(values.buffer, values.byteOffset, 2 * values.length), 0, 2 * values.length);
  return range.bytes();
}

function float32Range(values: Float32Array): { min: Uint8Array; max: Uint8Array } | undefined {
  let min = Infinity;
  let max = -Infinity;
  let any = false;
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== value) continue;
    any = true;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (!any) return undefined;
  const bytes = (value: number): Uint8Array => new Uint8Array(new Float32Array([value]).buffer);
  return { min: bytes(min === 0 ? -0 : min), max: bytes(max === 0 ? 0 : max) };
}
