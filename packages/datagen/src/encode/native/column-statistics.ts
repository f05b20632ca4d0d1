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
  // one pass in doubles, exact while every value is within ±2^53 (then so are the extremes)
  let min = Infinity;
  let max = -Infinity;
  let minAt = 0;
  let maxAt = 0;
  for (let i = 0; i < n; i++) {
    const value = words[2 * i + 1] * 4294967296 + (words[2 * i] >>> 0);
    if (value < min) {
      min = value;
      minAt = i;
    }
    if (value > max) {
      max = value;
      maxAt = i;
    }
  }
  const at = (i: number): Uint8Array => new Uint8Array(words.buffer, words.byteOffset + 8 * i, 8).slice();
  if (min > -SAFE && max < SAFE) return { min: at(minAt), max: at(maxAt) };
  return int64RangeExact(words, n);
}

const SAFE = 2 ** 53;

/** The same by signed high words, then unsigned low words: exact for any int64. */
function int64RangeExact(words: Int32Array, n: number): { min: Uint8Array; max: Uint8Array } {
  // the extreme high words (signed), then the extreme low words (unsigned) among the values that have them
  let minHigh = words[1];
  let maxHigh = minHigh;
  for (let i = 3; i < 2 * n; i += 2) {
    const high = words[i];
    if (high < minHigh) minHigh = high;
    else if (high > maxHigh) maxHigh = high;
  }
  let minLow = 0xffffffff;
  let maxLow = 0;
  for (let i = 0; i < 2 * n; i += 2) {
    const high = words[i + 1];
    if (high === minHigh) {
      const low = words[i] >>> 0;
      if (low < minLow) minLow = low;
    }
    if (high === maxHigh) {
      const low = words[i] >>> 0;
      if (low > maxLow) maxLow = low;
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
