import { IdType, allocateIds, idWords } from './ids';
import type { JaggedTensor } from './jagged-tensor';
import type { FlatJagged } from './concat';

/** Rows shorter than this (in 32-bit words) are copied by a loop; longer ones by `set`. */
const SHORT_ROW_WORDS = 24;

/**
 * Row gather over several jagged tensors: for each part (key) k, output row i is input row
 * `indicesPerPart[k][i]`. All index arrays have the same length, the output stride. The result is
 * flat and key-major. Copies 32-bit words, never BigInts.
 */
export function gatherRows(parts: readonly JaggedTensor[], indicesPerPart: readonly Int32Array[], idType: IdType, weighted: boolean): FlatJagged {
  const n = indicesPerPart.length > 0 ? indicesPerPart[0].length : 0;
  const lengths = new Int32Array(parts.length * n);
  let numValues = 0;
  for (let k = 0; k < parts.length; k++) {
    const partLengths = parts[k].lengths;
    const indices = indicesPerPart[k];
    const base = k * n;
    for (let i = 0; i < n; i++) {
      const length = partLengths[indices[i]];
      lengths[base + i] = length;
      numValues += length;
    }
  }
  const values = allocateIds(idType, numValues);
  const weights = weighted ? new Float32Array(numValues) : undefined;
  const wordsPerValue = idType === 'int64' ? 2 : 1;
  const outWords = idWords(values);
  let valuePos = 0;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    const offsets = part.offsets;
    const inWords = idWords(part.values);
    const inWeights = part.weights;
    const indices = indicesPerPart[k];
    for (let i = 0; i < n; i++) {
      const row = indices[i];
      const start = offsets[row];
      const length = offsets[row + 1] - start;
      copyWords(inWords, start * wordsPerValue, outWords, valuePos * wordsPerValue, length * wordsPerValue);
      if (weights) copyFloats(inWeights!, start, weights, valuePos, length);
      valuePos += length;
    }
  }
  return { values, lengths, weights };
}

export function copyWords(source: Int32Array, from: number, target: Int32Array, to: number, count: number): void {
  if (count < SHORT_ROW_WORDS) {
    for (let j = 0; j < count; j++) target[to + j] = source[from + j];
  } else {
    target.set(source.subarray(from, from + count), to);
  }
}

function copyFloats(source: Float32Array, from: number, target: Float32Array, to: number, count: number): void {
  if (count < SHORT_ROW_WORDS) {
    for (let j = 0; j < count; j++) target[to + j] = source[from + j];
  } else {
    target.set(source.subarray(from, from + count), to);
  }
}
