import type { SampleColumn } from '../../dataset/sample-chunk';
import type { ThriftField } from '../thrift-compact';
import { field } from './thrift-build';

/**
 * A column chunk's Statistics fields: max and min (deprecated, as the parquet crate still writes them), null_count (for a list's leaf: its empty lists, the entries
 * at definition level 0), and min_value/max_value (PLAIN bytes; int64 compared signed, float32 by
 * value with NaN left out, a zero minimum written -0 and a zero maximum +0 as the format asks).
 * Undefined min/max when there is no value to compare.
 */
export function columnStatistics(column: SampleColumn, rows: number): ThriftField[] | undefined {
  let nulls = 0;
  if (column.type === 'list<int64>') for (let row = 0; row < rows; row++) if (column.offsets[row + 1] === column.offsets[row]) nulls++;
  const range = column.type === 'float32' ? float32Range(column.values) : int64Range(column.values);
  if (range === undefined) return [field.i64(3, nulls)];
  // the deprecated max/min too (older readers use them; for signed int64 and float they mean the same)
  return [field.binary(1, range.max), field.binary(2, range.min), field.i64(3, nulls), field.binary(5, range.max), field.binary(6, range.min)];
}

function int64Range(values: BigInt64Array): { min: Uint8Array; max: Uint8Array } | undefined {
  const n = values.length;
  if (n === 0) return undefined;
  const words = new Int32Array(values.buffer, values.byteOffset, 2 * n);
  // the extreme high words (signed), then the extreme low words (unsigned) among the values that
  // have them; branch-free passes, the second over every value when all share one high word
  let minHigh = words[1];
  let maxHigh = minHigh;
  for (let i = 3; i < 2 * n; i += 2) {
    const high = words[i];
    minHigh = high < minHigh ? high : minHigh;
    maxHigh = high > maxHigh ? high : maxHigh;
  }
  let minLow = 0xffffffff;
  let maxLow = 0;
  if (minHigh === maxHigh) {
    for (let i = 0; i < 2 * n; i += 2) {
      const low = words[i] >>> 0;
      minLow = low < minLow ? low : minLow;
      maxLow = low > maxLow ? low : maxLow;
    }
  } else {
    for (let i = 0; i < 2 * n; i += 2) {
      const high = words[i + 1];
      const low = words[i] >>> 0;
      if (high === minHigh && low < minLow) minLow = low;
      if (high === maxHigh && low > maxLow) maxLow = low;
    }
  }
  const bytes = (low: number, high: number): Uint8Array => new Uint8Array(new Int32Array([low | 0, high]).buffer);
  return { min: bytes(minLow, minHigh), max: bytes(maxLow, maxHigh) };
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
