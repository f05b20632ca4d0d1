import { KeyError, JaggedShapeError } from './errors';
import { IdArray, IdType, allocateIds, idTypeOf } from './ids';
import { JaggedTensor } from './jagged-tensor';
import { lengthsToOffsets, offsetsToLengths, sumInt32 } from './offsets';
import { formatRows } from './format';
import { gatherRows } from './gather';
import { concatParts } from './concat';

export interface KjtLengthsInit {
  keys: readonly string[];
  /** All ids, key-major: every row of key 0, then every row of key 1, ... */
  values: IdArray;
  /** `keys.length * stride` row lengths, key-major. */
  lengths: Int32Array;
  weights?: Float32Array;
  /** Rows per key; needed only when there are no keys (otherwise lengths.length / keys.length). */
  stride?: number;
}

export interface KjtOffsetsInit extends Omit<KjtLengthsInit, 'lengths'> {
  /** `keys.length * stride + 1` offsets into values, starting at 0. */
  offsets: Int32Array;
}

/**
 * A batch of jagged features under string keys, with TorchRec's semantics: `stride` rows per key,
 * `lengths` and `values` laid out key-major.
 *
 * Worked example (TorchRec's own, reused as the golden test):
 * ```
 * //          0       1        2      <- row (sample)
 * // "f0"  [V0,V1]   None    [V2]
 * // "f1"   [V3]     [V4]  [V5,V6,V7]
 * const kjt = KeyedJaggedTensor.fromLengths({
 *   keys: ['f0', 'f1'],
 *   values: new BigInt64Array([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n]),
 *   lengths: new Int32Array([2, 0, 1, 1, 1, 3]),
 * });
 * kjt.stride;        // 3
 * kjt.offsets;       // [0, 2, 2, 3, 4, 5, 8]
 * kjt.lengthPerKey;  // [3, 5]
 * kjt.offsetPerKey;  // [0, 3, 8]
 * ```
 *
 * Storage is one `JaggedTensor` per key. A KJT built from flat arrays keeps them, so `values`,
 * `lengths` and `weights` return exactly what was passed; a KJT made by `permute`, `split`,
 * `sliceRows` or `concat` (by keys) holds views of its parents' per-key arrays and builds the
 * flat arrays only when first asked for (one copy, cached).
 */
export class KeyedJaggedTensor {
  readonly keys: readonly string[];
  readonly stride: number;
  readonly idType: IdType;
  readonly weighted: boolean;
  readonly #parts: readonly JaggedTensor[];
  #values: IdArray | undefined;
  #lengths: Int32Array | undefined;
  #weights: Float32Array | undefined;
  #offsets: Int32Array | undefined;
  #lengthPerKey: Int32Array | undefined;
  #offsetPerKey: Int32Array | undefined;
  #keyIndex: Map<string, number> | undefined;

  private constructor(
    keys: readonly string[],
    stride: number,
    parts: readonly JaggedTensor[],
    idType: IdType,
    weighted: boolean,
    flat?: { values: IdArray; lengths: Int32Array; weights?: Float32Array },
  ) {
    this.keys = keys;
    this.stride = stride;
    this.#parts = parts;
    this.idType = idType;
    this.weighted = weighted;
    this.#values = flat?.values;
    this.#lengths = flat?.lengths;
    this.#weights = flat?.weights;
  }

  static fromLengths(init: KjtLengthsInit): KeyedJaggedTensor {
    const { keys, values, lengths, weights } = init;
    const stride = strideOf(keys.length, lengths.length, init.stride);
    const parts: JaggedTensor[] = [];
    let start = 0;
    for (let k = 0; k < keys.length; k++) {
      const keyLengths = lengths.subarray(k * stride, (k + 1) * stride);
      const end = start + sumInt32(keyLengths);
      parts.push(
        JaggedTensor.fromLengths({
          values: values.subarray(start, end),
          lengths: keyLengths,
          weights: weights?.subarray(start, end),
        }),
      );
      start = end;
    }
    return new KeyedJaggedTensor(keys, stride, parts, idTypeOf(values), weights !== undefined, { values, lengths, weights });
  }

  static fromOffsets(init: KjtOffsetsInit): KeyedJaggedTensor {
    const kjt = KeyedJaggedTensor.fromLengths({ ...init, lengths: offsetsToLengths(init.offsets) });
    kjt.#offsets = init.offsets;
    return kjt;
  }

  /** One jagged tensor per key, all with the same number of rows. Values are not copied. */
  static fromJaggedTensors(keys: readonly string[], parts: readonly JaggedTensor[], options: { stride?: number; idType?: IdType } = {}): KeyedJaggedTensor {
    if (parts.length !== keys.length) {
      throw new JaggedShapeError(`fromJaggedTensors: expected one jagged tensor per key (${keys.length}), got ${parts.length}`);
    }
    const stride = parts.length > 0 ? parts[0].rows : (options.stride ?? 0);
    const idType = parts.length > 0 ? parts[0].idType : (options.idType ?? 'int64');
    const weighted = parts.length > 0 && parts[0].weights !== undefined;
    for (let k = 0; k < parts.length; k++) {
      const part = parts[k];
      if (part.rows !== stride || part.idType !== idType || (part.weights !== undefined) !== weighted) {
        throw new JaggedShapeError(
          `fromJaggedTensors: key "${keys[k]}": expected ${stride} rows of ${idType}${weighted ? ' with weights' : ''}, ` +
            `got ${part.rows} rows of ${part.idType}${part.weights ? ' with weights' : ''}`,
        );
      }
    }
    return new KeyedJaggedTensor(keys, stride, parts, idType, weighted);
  }

  /** A KJT with the given keys and `stride` empty rows per key (default 0 rows). */
  static empty(keys: readonly string[], options: { idType?: IdType; weighted?: boolean; stride?: number } = {}): KeyedJaggedTensor {
    const stride = options.stride ?? 0;
    return KeyedJaggedTensor.fromLengths({
      keys,
      values: allocateIds(options.idType ?? 'int64', 0),
      lengths: new Int32Array(keys.length * stride),
      weights: options.weighted ? new Float32Array(0) : undefined,
      stride,
    });
  }

  /** Joins KJTs with disjoint keys and equal strides: the keys of the first, then the second, ... */
  static concat(kjts: readonly KeyedJaggedTensor[]): KeyedJaggedTensor {
    if (kjts.length === 0) throw new JaggedShapeError('concat: expected at least one KeyedJaggedTensor, got none');
    const first = kjts[0];
    const keys: string[] = [];
    const parts: JaggedTensor[] = [];
    for (const kjt of kjts) {
      if (kjt.stride !== first.stride || kjt.idType !== first.idType || kjt.weighted !== first.weighted) {
        throw new JaggedShapeError(
          `concat: expected stride ${first.stride}, ${first.idType}, ${first.weighted ? 'weighted' : 'unweighted'}; ` +
            `got stride ${kjt.stride}, ${kjt.idType}, ${kjt.weighted ? 'weighted' : 'unweighted'} (keys ${kjt.keys.join(',')})`,
        );
      }
      keys.push(...kjt.keys);
      parts.push(...kjt.#parts);
    }
    assertUniqueKeys(keys, 'concat');
    return new KeyedJaggedTensor(keys, first.stride, parts, first.idType, first.weighted);
  }

  /** Stacks KJTs with the same keys row-wise: the rows of the first, then the second, ... (copies). */
  static concatRows(kjts: readonly KeyedJaggedTensor[]): KeyedJaggedTensor {
    if (kjts.length === 0) throw new JaggedShapeError('concatRows: expected at least one KeyedJaggedTensor, got none');
    const first = kjts[0];
    for (const kjt of kjts) {
      if (kjt.keys.length !== first.keys.length || kjt.keys.some((key, k) => key !== first.keys[k])) {
        throw new KeyError(`concatRows: expected keys [${first.keys.join(', ')}], got [${kjt.keys.join(', ')}]`);
      }
      if (kjt.idType !== first.idType || kjt.weighted !== first.weighted) {
        throw new JaggedShapeError(`concatRows: expected ${first.idType}${first.weighted ? ' weighted' : ''}, got ${kjt.idType}${kjt.weighted ? ' weighted' : ''}`);
      }
    }
    const stride = kjts.reduce((total, kjt) => total + kjt.stride, 0);
    const parts = first.keys.flatMap((_, k) => kjts.map((kjt) => kjt.#parts[k]));
    const flat = concatParts(parts, first.idType, first.weighted);
    return KeyedJaggedTensor.fromLengths({ keys: first.keys, ...flat, stride });
  }

  get values(): IdArray {
    if (this.#values === undefined) this.#flatten();
    return this.#values!;
  }

  get lengths(): Int32Array {
    if (this.#lengths === undefined) this.#flatten();
    return this.#lengths!;
  }

  get weights(): Float32Array | undefined {
    if (!this.weighted) return undefined;
    if (this.#weights === undefined) this.#flatten();
    return this.#weights;
  }

  /** `keys.length * stride + 1` offsets into `values`, key-major. */
  get offsets(): Int32Array {
    return (this.#offsets ??= lengthsToOffsets(this.lengths));
  }

  /** Ids per key. */
  get lengthPerKey(): Int32Array {
    if (this.#lengthPerKey === undefined) {
      this.#lengthPerKey = new Int32Array(this.keys.length);
      for (let k = 0; k < this.keys.length; k++) this.#lengthPerKey[k] = this.#parts[k].values.length;
    }
    return this.#lengthPerKey;
  }

  /** Where each key's ids start in `values` (one entry more than keys). */
  get offsetPerKey(): Int32Array {
    return (this.#offsetPerKey ??= lengthsToOffsets(this.lengthPerKey));
  }

  /** Total number of ids. */
  get numValues(): number {
    let total = 0;
    for (const part of this.#parts) total += part.values.length;
    return total;
  }

  /** Bytes of values, lengths and weights (what this batch costs to ship). */
  get byteLength(): number {
    let total = 0;
    for (const part of this.#parts) {
      total += part.values.byteLength + part.lengths.byteLength + (part.weights?.byteLength ?? 0);
    }
    return total;
  }

  has(key: string): boolean {
    return this.#index().has(key);
  }

  /** Position of `key` in `keys`; throws KeyError naming the known keys when absent. */
  indexOf(key: string): number {
    const index = this.#index().get(key);
    if (index === undefined) throw new KeyError(`key "${key}" not found; keys are [${this.keys.join(', ')}]`);
    return index;
  }

  /** The feature under `key` (views, no copy). */
  get(key: string): JaggedTensor {
    return this.#parts[this.indexOf(key)];
  }

  /** The feature at key position `k` (views, no copy). */
  part(k: number): JaggedTensor {
    return this.#parts[k];
  }

  toDict(): Record<string, JaggedTensor> {
    const dict: Record<string, JaggedTensor> = {};
    this.keys.forEach((key, k) => (dict[key] = this.#parts[k]));
    return dict;
  }

  /** The same features in another key order, or a subset of keys (views, no copy). */
  permute(keys: readonly string[]): KeyedJaggedTensor {
    assertUniqueKeys(keys, 'permute');
    const parts = keys.map((key) => this.get(key));
    return new KeyedJaggedTensor(keys, this.stride, parts, this.idType, this.weighted);
  }

  /** Splits by consecutive key counts, e.g. `[2, 1]` on keys [a, b, c] gives [a, b] and [c] (views). */
  split(keyCounts: readonly number[]): KeyedJaggedTensor[] {
    const total = keyCounts.reduce((sum, count) => sum + count, 0);
    if (total !== this.keys.length || keyCounts.some((count) => count < 0 || !Number.isInteger(count))) {
      throw new JaggedShapeError(`split: expected non-negative key counts summing to ${this.keys.length}, got [${keyCounts.join(', ')}]`);
    }
    const out: KeyedJaggedTensor[] = [];
    let start = 0;
    for (const count of keyCounts) {
      out.push(
        new KeyedJaggedTensor(this.keys.slice(start, start + count), this.stride, this.#parts.slice(start, start + count), this.idType, this.weighted),
      );
      start += count;
    }
    return out;
  }

  /** Rows `start .. end` of every key, as views of this tensor's arrays. */
  sliceRows(start: number, end: number): KeyedJaggedTensor {
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start <= end && end <= this.stride)) {
      throw new JaggedShapeError(`sliceRows: expected 0 <= start <= end <= ${this.stride}, got start=${start} end=${end}`);
    }
    const parts = this.#parts.map((part) => part.sliceRows(start, end));
    return new KeyedJaggedTensor(this.keys, end - start, parts, this.idType, this.weighted);
  }

  /**
   * Gathers rows: row i of the result is row `indices[i]` of this tensor, for every key (copies,
   * like FBGEMM's keyed_jagged_index_select_dim1). Indices may repeat and come in any order.
   */
  selectRows(indices: Int32Array): KeyedJaggedTensor {
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i];
      if (!(index >= 0 && index < this.stride)) {
        throw new JaggedShapeError(`selectRows: expected indices in [0, ${this.stride}), got indices[${i}]=${index}`);
      }
    }
    const flat = gatherRows(this.#parts, this.#parts.map(() => indices), this.idType, this.weighted);
    return KeyedJaggedTensor.fromLengths({ keys: this.keys, ...flat, stride: indices.length });
  }

  /** Same keys, stride, id type and weightedness, and bit-identical lengths, ids and weights. */
  equals(other: KeyedJaggedTensor): boolean {
    if (this.stride !== other.stride || this.idType !== other.idType || this.weighted !== other.weighted) return false;
    if (this.keys.length !== other.keys.length) return false;
    for (let k = 0; k < this.keys.length; k++) {
      if (this.keys[k] !== other.keys[k]) return false;
      const a = this.#parts[k];
      const b = other.#parts[k];
      if (!sameInt32(a.lengths, b.lengths)) return false;
      if (!sameBytes(a.values, b.values)) return false;
      if (this.weighted && !sameBytes(a.weights!, b.weights!)) return false;
    }
    return true;
  }

  toString(): string {
    const lines = [`KeyedJaggedTensor(${this.idType}${this.weighted ? ', weighted' : ''}, stride=${this.stride}, keys=${this.keys.length})`];
    const shownKeys = Math.min(this.keys.length, 12);
    for (let k = 0; k < shownKeys; k++) lines.push(`  ${this.keys[k]}: ${formatRows(this.#parts[k], 6, 8)}`);
    if (this.keys.length > shownKeys) lines.push(`  ... +${this.keys.length - shownKeys} keys`);
    return lines.join('\n');
  }

  #index(): Map<string, number> {
    if (this.#keyIndex === undefined) {
      this.#keyIndex = new Map();
      this.keys.forEach((key, k) => this.#keyIndex!.set(key, k));
    }
    return this.#keyIndex;
  }

  #flatten(): void {
    const flat = concatParts(this.#parts, this.idType, this.weighted);
    this.#values = flat.values;
    this.#lengths = flat.lengths;
    this.#weights = flat.weights;
  }
}

function strideOf(numKeys: number, numLengths: number, given: number | undefined): number {
  if (numKeys === 0) return given ?? 0;
  const stride = numLengths / numKeys;
  if (!Number.isInteger(stride)) {
    throw new JaggedShapeError(`lengths.length must be a multiple of keys.length (${numKeys}), got ${numLengths}`);
  }
  if (given !== undefined && given !== stride) {
    throw new JaggedShapeError(`stride: expected lengths.length / keys.length = ${stride}, got stride=${given}`);
  }
  return stride;
}

function assertUniqueKeys(keys: readonly string[], operation: string): void {
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) throw new KeyError(`${operation}: key "${key}" appears more than once in [${keys.join(', ')}]`);
    seen.add(key);
  }
}

function sameInt32(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Bitwise equality of two typed arrays of the same element type. */
function sameBytes(a: ArrayBufferView & { length: number }, b: ArrayBufferView & { length: number }): boolean {
  if (a.byteLength !== b.byteLength) return false;
  const wordsA = new Int32Array(a.buffer, a.byteOffset, a.byteLength >> 2);
  const wordsB = new Int32Array(b.buffer, b.byteOffset, b.byteLength >> 2);
  return sameInt32(wordsA, wordsB);
}
