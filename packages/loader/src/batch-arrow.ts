import { ArrowBatch, InverseKeyedJaggedTensor, KeyedJaggedTensor } from '@recd/core';
import type { Batch } from './batch';

/**
 * A batch as @recd/core's ArrowBatch: the per-sample keys and the session keys in one tensor
 * (views, no copy). Dedup on: an IKJT whose passthrough keys are the per-sample ones. Dedup off:
 * one KJT with every key.
 */
export function batchToArrow(batch: Batch): ArrowBatch {
  const session = batch.sessionSparse;
  const numDense = batch.size > 0 ? batch.dense.length / batch.size : 0;
  if (session instanceof KeyedJaggedTensor) {
    return { sparse: KeyedJaggedTensor.concat([batch.sparse, session]), labels: batch.labels, dense: batch.dense, numDense };
  }
  const passthrough = session.passthrough.keys.length > 0 ? KeyedJaggedTensor.concat([batch.sparse, session.passthrough]) : batch.sparse;
  const sparse = InverseKeyedJaggedTensor.from({ keys: [...batch.sparse.keys, ...session.keys], batchSize: batch.size, groups: session.groups, passthrough });
  return { sparse, labels: batch.labels, dense: batch.dense, numDense };
}
