import { IdType, allocateIds, idWords } from './ids';
import type { JaggedTensor } from './jagged-tensor';
import type { FlatJagged } from './concat';

/**
 * Copies shorter than this many 32-bit words run as a loop; longer ones as one native call. For a
 * 100-word row (50 int64 ids) a `set` from a `subarray` (the view is an allocation) costs about as
 * much as a loop, a `copyWithin` within the output about half as much.
 */
const SHORT_COPY_WORDS = 32;

/**
 * Row gather over several jagged tensors: for each part (key) k, output row i is input row
 * `indicesPerPart[k][i]`. All index arrays have the same length, the output stride. The result is
 * flat and key-major. Copies 32-bit words (ids and weight bits, so every NaN keeps its bits),
 * never BigInts or floats.
 *
 * Indices that dedup makes are runs: ascending runs (`5, 6, 7`: one contiguous source range,
 * copied in one go) and repeats (`5, 5, 5`: a session's samples, filled by doubling the copy
 * already in the output). Any other order works too, a row at a time.
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
  const outWeightBits = weights ? floatBits(weights) : undefined;
  let valuePos = 0;
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    const offsets = part.offsets;
    const indices = indicesPerPart[k];
    const end = gatherJagged(idWords(part.values), offsets, wordsPerValue, indices, outWords, valuePos * wordsPerValue);
    if (outWeightBits) gatherJagged(floatBits(part.weights!), offsets, 1, indices, outWeightBits, valuePos);
    valuePos = end / wordsPerValue;
  }
  return { values, lengths, weights };
}

/**
 * Copies rows `indices[0], indices[1], ...` of a jagged array of words (row r is words
 * `offsets[r] * wordsPerValue .. offsets[r + 1] * wordsPerValue`) one after another into `target`
 * from word `to`. Returns the word after the last one written.
 */
function gatherJagged(source: Int32Array, offsets: Int32Array, wordsPerValue: number, indices: Int32Array, target: Int32Array, to: number): number {
  const n = indices.length;
  let i = 0;
  while (i < n) {
    // an ascending run of source rows is one contiguous range
    const first = indices[i];
    let last = first;
    for (i++; i < n && indices[i] === last + 1; i++) last++;
    const from = offsets[first] * wordsPerValue;
    const until = offsets[last + 1] * wordsPerValue;
    // (short copies are written out here, not called: this loop runs once per row of a key)
    if (until - from < SHORT_COPY_WORDS) {
      for (let j = from; j < until; j++) target[to++] = source[j];
    } else {
      target.set(source.subarray(from, until), to);
      to += until - from;
    }
    // then the last row, repeated
    let repeats = 0;
    for (; i < n && indices[i] === last; i++) repeats++;
    if (repeats > 0) {
      const rowWords = until - offsets[last] * wordsPerValue;
      if (rowWords * repeats < SHORT_COPY_WORDS) {
        // each word copies the one rowWords before it: the row repeats
        for (let j = to - rowWords, end = to + rowWords * repeats; to < end; ) target[to++] = target[j++];
      } else {
        to = repeatWords(target, to - rowWords, rowWords, repeats);
      }
    }
  }
  return to;
}

/**
 * Writes `repeats` more copies of the `rowWords` words at `rowStart` right after them; returns the
 * word after the last copy. Long fills double: copy 1 row, then 2, then 4, ... from the output.
 */
function repeatWords(target: Int32Array, rowStart: number, rowWords: number, repeats: number): number {
  let to = rowStart + rowWords;
  const end = to + rowWords * repeats;
  while (to < end) {
    const count = Math.min(to - rowStart, end - to);
    target.copyWithin(to, rowStart, rowStart + count);
    to += count;
  }
  return end;
}

function floatBits(floats: Float32Array): Int32Array {
  return new Int32Array(floats.buffer, floats.byteOffset, floats.length);
}
