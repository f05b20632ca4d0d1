import { InverseKeyedJaggedTensor } from '@recd/core';
import type { Batch } from './batch';

export interface BatchStats {
  size: number;
  /** Unique rows per dedup group (dedup on), or undefined (dedup off). */
  uniqueRows: number[] | undefined;
  /** Bytes of labels, dense values and both tensors as they are. */
  bytes: number;
  /** The same with the session features whole (a KJT): what the batch costs without dedup. */
  expandedBytes: number;
}

/** How much a batch's dedup saves: unique rows per group, bytes with and without dedup. */
export function batchStats(batch: Batch): BatchStats {
  const base = batch.labels.byteLength + batch.dense.byteLength + batch.sparse.byteLength;
  const session = batch.sessionSparse;
  if (session instanceof InverseKeyedJaggedTensor) {
    return {
      size: batch.size,
      uniqueRows: session.groups.map((group) => group.unique.stride),
      bytes: base + session.byteLength,
      expandedBytes: base + session.stats().bytesBefore,
    };
  }
  return { size: batch.size, uniqueRows: undefined, bytes: base + session.byteLength, expandedBytes: base + session.byteLength };
}
