/** Conversions between lengths and offsets (offsets has one more entry, starting at 0). */

export function lengthsToOffsets(lengths: Int32Array): Int32Array {
  const offsets = new Int32Array(lengths.length + 1);
  let total = 0;
  for (let i = 0; i < lengths.length; i++) {
    total += lengths[i];
    offsets[i + 1] = total;
  }
  return offsets;
}

export function offsetsToLengths(offsets: Int32Array): Int32Array {
  const count = Math.max(0, offsets.length - 1);
  const lengths = new Int32Array(count);
  for (let i = 0; i < count; i++) lengths[i] = offsets[i + 1] - offsets[i];
  return lengths;
}

export function sumInt32(array: Int32Array, start = 0, end = array.length): number {
  let total = 0;
  for (let i = start; i < end; i++) total += array[i];
  return total;
}
