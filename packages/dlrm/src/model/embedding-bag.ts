/**
 * Embedding bag: one pooled vector per row of a jagged feature. For row r with ids i_1 .. i_L
 * (only the first `maxLength` when set), optional per-id weights w_j (1 when absent), table
 * E [n x d] and t_j = i_j mod n:
 *
 *     sum:   y_r = sum_j w_j E[t_j]
 *     mean:  y_r = (1 / L) sum_j w_j E[t_j]          (y_r = 0 when L = 0)
 *
 *     backward:  dE[t_j] += w_j dy_r  (sum)   or   (w_j / L) dy_r  (mean)
 *
 * The table gradient is sparse (see EmbeddingTable). There is no input gradient: ids are data.
 */
import type { JaggedTensor, Rng } from '@recd/core';
import type { Parameter } from '../parameter';
import { Float32Buffer, Int32Buffer } from './buffers';
import { EmbeddingTable } from './embedding-table';
import type { FeatureEncoder } from './feature-encoder';
import { idsToRows } from './id-rows';

export type Pooling = 'sum' | 'mean';

export interface EmbeddingBagOptions {
  pooling?: Pooling;
  /** Use only the first `maxLength` ids of each row. */
  maxLength?: number;
  /** Multiply by the feature's per-id weights when it has them (default true). */
  useWeights?: boolean;
}

export class EmbeddingBag implements FeatureEncoder {
  readonly table: EmbeddingTable;
  readonly dim: number;
  readonly outFeatures: number;
  readonly pooling: Pooling;
  readonly maxLength: number;
  readonly useWeights: boolean;
  readonly #output = new Float32Buffer();
  readonly #tableRows = new Int32Buffer();
  #ids: JaggedTensor | undefined;
  #rowIndex: Int32Array = new Int32Array(0);

  /** The table is `[tableSize x dim]`, its parameter named `name`. */
  constructor(name: string, tableSize: number, dim: number, rng: Rng, options: EmbeddingBagOptions = {}) {
    this.table = new EmbeddingTable(name, tableSize, dim, rng);
    this.dim = dim;
    this.outFeatures = dim;
    this.pooling = options.pooling ?? 'sum';
    this.maxLength = options.maxLength ?? Infinity;
    this.useWeights = options.useWeights ?? true;
  }

  /** Pools each row of `ids` into a `[ids.rows x dim]` array (a reused buffer). */
  forward(ids: JaggedTensor): Float32Array {
    const rows = ids.rows;
    const dim = this.dim;
    const output = this.#output.zeroed(rows * dim);
    const offsets = ids.offsets;
    const rowIndex = this.#tableRows.view(ids.values.length);
    idsToRows(ids.values, 0, ids.values.length, this.table.rows, rowIndex);
    const table = this.table.value;
    const weights = this.useWeights ? ids.weights : undefined;
    for (let r = 0; r < rows; r++) {
      const start = offsets[r];
      const end = start + Math.min(offsets[r + 1] - start, this.maxLength);
      const scale = this.#rowScale(end - start);
      const at = r * dim;
      for (let t = start; t < end; t++) {
        const w = weights === undefined ? scale : weights[t] * scale;
        const base = rowIndex[t] * dim;
        for (let j = 0; j < dim; j++) output[at + j] += w * table[base + j];
      }
    }
    this.#ids = ids;
    this.#rowIndex = rowIndex;
    return output;
  }

  /** Adds the table gradient for `gradOutput` (`[rows x dim]` of the last forward). */
  backward(gradOutput: Float32Array): void {
    const ids = this.#ids;
    if (ids === undefined) throw new Error('EmbeddingBag.backward called before forward');
    const dim = this.dim;
    const offsets = ids.offsets;
    const rowIndex = this.#rowIndex;
    const weights = this.useWeights ? ids.weights : undefined;
    this.table.beginBackward();
    for (let r = 0; r < ids.rows; r++) {
      const start = offsets[r];
      const end = start + Math.min(offsets[r + 1] - start, this.maxLength);
      const scale = this.#rowScale(end - start);
      for (let t = start; t < end; t++) {
        this.table.addToRow(rowIndex[t], gradOutput, r * dim, weights === undefined ? scale : weights[t] * scale);
      }
    }
  }

  parameters(): Parameter[] {
    return [this.table.parameter];
  }

  /** The table row of every id (the ids themselves are the batch's). */
  savedForBackward(): ArrayBufferView[] {
    return this.#ids === undefined ? [] : [this.#rowIndex];
  }

  #rowScale(length: number): number {
    return this.pooling === 'mean' && length > 0 ? 1 / length : 1;
  }
}
