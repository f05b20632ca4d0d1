/**
 * The rows of a column that start runs, transformed: what a dedup group keeps per run. The usual
 * chain (an optional truncate, then modulo or hash into Int32 rows) runs fused in one pass over
 * the selected rows, reading the raw ids once; any other chain gathers the rows, then runs.
 */
import type { IdArray, IdType } from '@recd/core';
import { applyIdTransforms, hashAt, moduloAt } from './id-transforms';
import { JaggedColumn, columnRows, wordsOf } from './jagged-column';
import { firstRowOfRuns } from './runs';
import type { ResolvedIdTransform } from './transforms';

export function transformRunRows(column: JaggedColumn, runStarts: Int32Array, chain: readonly ResolvedIdTransform[], idType: IdType): JaggedColumn {
  const runs = runStarts.length - 1;
  // every row a run of its own (one sample per session): the whole column, contiguous
  if (runs === columnRows(column)) return applyIdTransforms(column, chain, idType);
  const fused = fusedChain(column.values, chain, idType);
  if (fused === undefined) return applyIdTransforms(firstRowOfRuns(column, runStarts), chain, idType);
  const { maxLength, keepLast, reduce } = fused;
  const words = wordsOf(column.values);
  const m = reduce.tableSize;
  const mask = (m & (m - 1)) === 0 ? m - 1 : -1;
  const highFactor = 4294967296 % m;
  const seed = reduce.kind === 'hash' ? reduce.seed : 0;
  const hash = reduce.kind === 'hash';
  const offsets = column.offsets;
  if (offsets === undefined) {
    const values = new Int32Array(runs);
    for (let i = 0; i < runs; i++) values[i] = hash ? hashAt(words, runStarts[i], m, mask, seed) : moduloAt(words, runStarts[i], m, mask, highFactor);
    return { offsets: undefined, values };
  }
  const newOffsets = new Int32Array(runs + 1);
  let total = 0;
  for (let i = 0; i < runs; i++) {
    const row = runStarts[i];
    total += Math.min(offsets[row + 1] - offsets[row], maxLength);
    newOffsets[i + 1] = total;
  }
  const values = new Int32Array(total);
  let to = 0;
  for (let i = 0; i < runs; i++) {
    const row = runStarts[i];
    let start = offsets[row];
    let end = offsets[row + 1];
    if (end - start > maxLength) {
      if (keepLast) start = end - maxLength;
      else end = start + maxLength;
    }
    if (hash) for (let id = start; id < end; id++) values[to++] = hashAt(words, id, m, mask, seed);
    else for (let id = start; id < end; id++) values[to++] = moduloAt(words, id, m, mask, highFactor);
  }
  return { offsets: newOffsets, values };
}

type Reduce = Extract<ResolvedIdTransform, { kind: 'modulo' | 'hash' }>;

/** `[truncate?, modulo | hash]` on int64 ids into Int32 rows: the chain the fused loops run. */
export function fusedChain(ids: IdArray, chain: readonly ResolvedIdTransform[], idType: IdType): { maxLength: number; keepLast: boolean; reduce: Reduce } | undefined {
  if (idType !== 'int32' || ids.BYTES_PER_ELEMENT !== 8 || chain.length === 0 || chain.length > 2) return undefined;
  const reduce = chain[chain.length - 1];
  if (reduce.kind !== 'modulo' && reduce.kind !== 'hash') return undefined;
  if (chain.length === 1) return { maxLength: Infinity, keepLast: true, reduce };
  const truncate = chain[0];
  if (truncate.kind !== 'truncate') return undefined;
  return { maxLength: truncate.maxLength, keepLast: truncate.keep === 'last', reduce };
}
