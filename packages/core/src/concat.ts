import { IdArray, IdType, allocateIds, idWords } from './ids';
import type { JaggedTensor } from './jagged-tensor';

export interface FlatJagged {
  values: IdArray;
  lengths: Int32Array;
  weights?: Float32Array;
}

/** Copies jagged tensors one after another into one flat values/lengths/weights triple. */
export function concatParts(parts: readonly JaggedTensor[], idType: IdType, weighted: boolean): FlatJagged {
  let numValues = 0;
  let numRows = 0;
  for (const part of parts) {
    numValues += part.values.length;
    numRows += part.rows;
  }
  const values = allocateIds(idType, numValues);
  const words = idWords(values);
  const wordsPerValue = idType === 'int64' ? 2 : 1;
  const lengths = new Int32Array(numRows);
  const weights = weighted ? new Float32Array(numValues) : undefined;
  let valuePos = 0;
  let rowPos = 0;
  for (const part of parts) {
    words.set(idWords(part.values), valuePos * wordsPerValue);
    lengths.set(part.lengths, rowPos);
    if (weights) weights.set(part.weights!, valuePos);
    valuePos += part.values.length;
    rowPos += part.rows;
  }
  return { values, lengths, weights };
}
