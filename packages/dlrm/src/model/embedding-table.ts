/**
 * An embedding table E [n x d] with a sparse gradient. Looking up row r reads E[r]; backward adds
 * into dE[r] only for the rows a step used, and lists them in `parameter.sparse.touchedRows`
 * (unique, first-touch order) so an optimizer visits those rows and nothing else.
 *
 * Clearing: a step's gradient starts when `sparse.touchedCount` is 0 (set by `zeroGrad()` or by
 * an optimizer after it applied the rows). Rows are not zeroed then: a row's gradient is
 * overwritten on its first touch of the step, so clearing costs nothing and the rows not listed
 * hold stale values that no one reads.
 */
import type { Rng } from '@recd/core';
import { Parameter, parameter } from '../parameter';
import { ensureInt32 } from './buffers';
import { initEmbedding } from './init';

export class EmbeddingTable {
  readonly parameter: Parameter;
  readonly rows: number;
  readonly dim: number;
  readonly #sparse: NonNullable<Parameter['sparse']>;
  /** The step in which each row was last touched. */
  readonly #touchedIn: Int32Array;
  #step = 0;

  constructor(name: string, rows: number, dim: number, rng: Rng) {
    this.rows = rows;
    this.dim = dim;
    this.parameter = parameter(name, [rows, dim]);
    this.#sparse = { rowSize: dim, touchedRows: new Int32Array(64), touchedCount: 0 };
    this.parameter.sparse = this.#sparse;
    this.#touchedIn = new Int32Array(rows).fill(-1);
    initEmbedding(this.parameter.value, rows, rng);
  }

  get value(): Float32Array {
    return this.parameter.value;
  }

  /** Starts a new step's gradient if the last one was cleared; call once before `addToRow`s. */
  beginBackward(): void {
    if (this.#sparse.touchedCount === 0) this.#step++;
  }

  /** dE[row] += scale * grad[at .. at + dim). */
  addToRow(row: number, grad: Float32Array, at: number, scale: number): void {
    const dim = this.dim;
    const g = this.parameter.grad;
    const base = row * dim;
    if (this.#touchedIn[row] !== this.#step) {
      this.#touchedIn[row] = this.#step;
      this.#recordTouched(row);
      for (let j = 0; j < dim; j++) g[base + j] = scale * grad[at + j];
    } else {
      for (let j = 0; j < dim; j++) g[base + j] += scale * grad[at + j];
    }
  }

  /** Forgets this step's gradient (O(1): see the class comment). */
  zeroGrad(): void {
    this.#sparse.touchedCount = 0;
  }

  #recordTouched(row: number): void {
    const sparse = this.#sparse;
    if (sparse.touchedCount === sparse.touchedRows.length) {
      const grown = ensureInt32(sparse.touchedRows, sparse.touchedCount + 1);
      grown.set(sparse.touchedRows);
      sparse.touchedRows = grown;
    }
    sparse.touchedRows[sparse.touchedCount++] = row;
  }
}
