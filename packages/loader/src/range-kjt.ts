/**
 * A KJT from ranges of rows of chunks' columns: batching copies samples this way (pieces of rows)
 * and so does deduplication (pieces of runs). Each output array is allocated once at its exact
 * size and each range of ids is copied as one block.
 */
import { IdType, KeyedJaggedTensor, allocateIds } from '@recd/core';
import { copyWords } from './copy-words';
import { JaggedColumn, wordsOf } from './jagged-column';

/** Range i is rows `start[i] .. end[i]` of chunk `chunk[i]`, for i < count. */
export interface RowRanges {
  chunk: Int32Array;
  start: Int32Array;
  end: Int32Array;
  count: number;
}

/** `columns[c][k]`: key k of chunk c. The result has the ranges' rows in order, `stride` of them. */
export function kjtOfRanges(keys: string[], columns: readonly (readonly JaggedColumn[])[], ranges: RowRanges, idType: IdType, stride: number): KeyedJaggedTensor {
  const wordsPerId = idType === 'int64' ? 2 : 1;
  const { chunk: rangeChunk, start: rangeStart, end: rangeEnd, count } = ranges;
  // per key, per chunk: offsets and id words, looked up once
  const offsetsOf = keys.map((_, k) => columns.map((perChunk) => perChunk[k].offsets));
  const wordsOfChunk = keys.map((_, k) => columns.map((perChunk) => wordsOf(perChunk[k].values)));
  let total = 0;
  for (let k = 0; k < keys.length; k++) {
    const offsetsByChunk = offsetsOf[k];
    for (let p = 0; p < count; p++) {
      const offsets = offsetsByChunk[rangeChunk[p]];
      total += offsets === undefined ? rangeEnd[p] - rangeStart[p] : offsets[rangeEnd[p]] - offsets[rangeStart[p]];
    }
  }
  const values = allocateIds(idType, total);
  const target = wordsOf(values);
  const lengths = new Int32Array(keys.length * stride);
  let row = 0;
  let to = 0;
  for (let k = 0; k < keys.length; k++) {
    const offsetsByChunk = offsetsOf[k];
    const wordsByChunk = wordsOfChunk[k];
    for (let p = 0; p < count; p++) {
      const c = rangeChunk[p];
      const offsets = offsetsByChunk[c];
      const start = rangeStart[p];
      const end = rangeEnd[p];
      let from: number;
      let ids: number;
      if (offsets === undefined) {
        lengths.fill(1, row, row + end - start);
        row += end - start;
        from = start;
        ids = end - start;
      } else {
        for (let r = start; r < end; r++) lengths[row++] = offsets[r + 1] - offsets[r];
        from = offsets[start];
        ids = offsets[end] - from;
      }
      copyWords(wordsByChunk[c], from * wordsPerId, target, to, ids * wordsPerId);
      to += ids * wordsPerId;
    }
  }
  return KeyedJaggedTensor.fromLengths({ keys, values, lengths, stride });
}
