import { IdArray, IdType, allocateIds, idTypeOf } from './ids';
import { lengthsToOffsets, offsetsToLengths } from './offsets';
import { formatRows } from './format';

export interface JaggedTensorInit {
  values: IdArray;
  lengths: Int32Array;
  weights?: Float32Array;
}

/**
 * One jagged feature: `rows` rows of ids, row i holding `values[offsets[i] .. offsets[i+1])`,
 * with optional per-id weights. Canonical fields are `values`, `lengths` and `weights`;
 * `offsets` (local, starting at 0) is derived on first use and cached.
 *
 * ```
 * const jt = JaggedTensor.fromLengths({ values: new Int32Array([1, 2, 3]), lengths: new Int32Array([2, 0, 1]) });
 * jt.offsets;       // Int32Array [0, 2, 2, 3]
 * jt.row(0);        // Int32Array [1, 2]  (a view)
 * ```
 */
export class JaggedTensor {
  readonly values: IdArray;
  readonly lengths: Int32Array;
  readonly weights: Float32Array | undefined;
  #offsets: Int32Array | undefined;

  private constructor(values: IdArray, lengths: Int32Array, weights: Float32Array | undefined, offsets?: Int32Array) {
    this.values = values;
    this.lengths = lengths;
    this.weights = weights;
    this.#offsets = offsets;
  }

  static fromLengths(init: JaggedTensorInit): JaggedTensor {
    return new JaggedTensor(init.values, init.lengths, init.weights);
  }

  /** `offsets` must start at 0 and have one entry more than there are rows. */
  static fromOffsets(init: { values: IdArray; offsets: Int32Array; weights?: Float32Array }): JaggedTensor {
    return new JaggedTensor(init.values, offsetsToLengths(init.offsets), init.weights, init.offsets);
  }

  static empty(idType: IdType = 'int64', options: { rows?: number; weighted?: boolean } = {}): JaggedTensor {
    const rows = options.rows ?? 0;
    return new JaggedTensor(allocateIds(idType, 0), new Int32Array(rows), options.weighted ? new Float32Array(0) : undefined);
  }

  get rows(): number {
    return this.lengths.length;
  }

  get idType(): IdType {
    return idTypeOf(this.values);
  }

  get offsets(): Int32Array {
    return (this.#offsets ??= lengthsToOffsets(this.lengths));
  }

  /** The ids of row `i` (a view). */
  row(i: number): IdArray {
    const offsets = this.offsets;
    return this.values.subarray(offsets[i], offsets[i + 1]);
  }

  /** The weights of row `i` (a view), or undefined when unweighted. */
  rowWeights(i: number): Float32Array | undefined {
    const offsets = this.offsets;
    return this.weights?.subarray(offsets[i], offsets[i + 1]);
  }

  /** Rows `start .. end` as views of this tensor's arrays (no copy). */
  sliceRows(start: number, end: number): JaggedTensor {
    const offsets = this.offsets;
    const from = offsets[start];
    const to = offsets[end];
    return new JaggedTensor(this.values.subarray(from, to), this.lengths.subarray(start, end), this.weights?.subarray(from, to));
  }

  /** Rows as plain arrays of bigint or number (for tests and printing, not hot paths). */
  toArrays(): Array<Array<bigint | number>> {
    const out: Array<Array<bigint | number>> = [];
    for (let i = 0; i < this.rows; i++) out.push(Array.from(this.row(i) as ArrayLike<bigint | number>));
    return out;
  }

  toString(): string {
    return `JaggedTensor(${this.idType}, rows=${this.rows}, ${formatRows(this, 6, 8)})`;
  }
}
