import { InverseKeyedJaggedTensor, KeyedJaggedTensor, type JaggedTensor } from '@recd/core';
import { BatchError } from './errors';

/**
 * One training batch (the project's batch contract): `size` samples, their labels, a row-major
 * `size x dense` matrix, per-sample sparse features, and session-constant features either whole
 * (a KJT, dedup off) or deduplicated (an IKJT, dedup on). All features may also sit in `sparse`
 * with no `sessionSparse`. The model gives the same result for all three forms.
 */
export interface TrainingBatch {
  size: number;
  labels: Float32Array;
  dense: Float32Array;
  sparse: KeyedJaggedTensor;
  sessionSparse?: KeyedJaggedTensor | InverseKeyedJaggedTensor;
}

/** Where a feature's ids are: `ids.rows` rows, mapped to the samples by `inverse` when deduplicated. */
export interface FeatureSource {
  ids: JaggedTensor;
  /** Length `size`: sample i uses row `inverse[i]` of `ids`; absent when row i is sample i. */
  inverse?: Int32Array;
}

/** Finds feature `name` in `sparse`, then in `sessionSparse` (its groups' unique rows, or passthrough). */
export function locateFeature(batch: TrainingBatch, name: string): FeatureSource {
  if (batch.sparse.has(name)) return { ids: batch.sparse.get(name) };
  const session = batch.sessionSparse;
  if (session instanceof KeyedJaggedTensor && session.has(name)) return { ids: session.get(name) };
  if (session instanceof InverseKeyedJaggedTensor) {
    for (const group of session.groups) {
      if (group.unique.has(name)) return { ids: group.unique.get(name), inverse: group.inverse };
    }
    if (session.passthrough.has(name)) return { ids: session.passthrough.get(name) };
  }
  const known = [...batch.sparse.keys, ...(session?.keys ?? [])];
  throw new BatchError(`feature "${name}" is in neither batch.sparse nor batch.sessionSparse; their keys are [${known.join(', ')}]`);
}

/** Checks the sizes the model relies on and that inverse indices stay in range (no scan of the ids). */
export function checkBatchShape(batch: TrainingBatch, dense: number): void {
  const size = batch.size;
  if (!(Number.isInteger(size) && size >= 0)) throw new BatchError(`batch.size: expected a non-negative integer, got ${size}`);
  if (batch.labels.length < size) throw new BatchError(`batch.labels: expected ${size} labels, got ${batch.labels.length}`);
  if (batch.dense.length < size * dense) {
    throw new BatchError(`batch.dense: expected size x dense = ${size} x ${dense} = ${size * dense} values, got ${batch.dense.length}`);
  }
  if (batch.sparse.keys.length > 0 && batch.sparse.stride !== size) {
    throw new BatchError(`batch.sparse: expected ${size} rows per key, got stride ${batch.sparse.stride}`);
  }
  const session = batch.sessionSparse;
  if (session instanceof KeyedJaggedTensor && session.keys.length > 0 && session.stride !== size) {
    throw new BatchError(`batch.sessionSparse: expected ${size} rows per key, got stride ${session.stride}`);
  }
  if (session instanceof InverseKeyedJaggedTensor) {
    if (session.batchSize !== size) throw new BatchError(`batch.sessionSparse: expected batchSize ${size}, got ${session.batchSize}`);
    session.groups.forEach((group, g) => {
      if (group.inverse.length !== size) {
        throw new BatchError(`batch.sessionSparse group ${g} [${group.keys.join(', ')}]: expected an inverse of length ${size}, got ${group.inverse.length}`);
      }
      const unique = group.unique.stride;
      for (let i = 0; i < size; i++) {
        const row = group.inverse[i];
        if (!(row >= 0 && row < unique)) {
          throw new BatchError(`batch.sessionSparse group ${g} [${group.keys.join(', ')}]: expected inverse values in [0, ${unique}), got inverse[${i}]=${row}`);
        }
      }
    });
  }
}
