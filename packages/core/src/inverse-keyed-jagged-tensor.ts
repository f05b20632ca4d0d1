import { JaggedShapeError } from './errors';
import { IdArray, IdType } from './ids';
import { JaggedTensor } from './jagged-tensor';
import { KeyedJaggedTensor } from './keyed-jagged-tensor';
import { gatherRows } from './gather';
import { concatParts } from './concat';

/** Keys that repeat together, stored once per unique row, plus the sample -> unique row map. */
export interface DedupGroup {
  readonly keys: readonly string[];
  /** The unique rows of the group's keys; `unique.stride` is the number of unique rows. */
  readonly unique: KeyedJaggedTensor;
  /** Length `batchSize`: sample i uses unique row `inverse[i]`. */
  readonly inverse: Int32Array;
}

export interface DedupGroupStats {
  keys: readonly string[];
  uniqueRows: number;
  samplesPerUniqueRow: number;
  /** Bytes of the group's ids, weights and lengths for every sample. */
  bytesBefore: number;
  /** Bytes of the unique rows plus the inverse index. */
  bytesAfter: number;
}

export interface IkjtStats {
  batchSize: number;
  groups: DedupGroupStats[];
  /** All keys, every sample: the KeyedJaggedTensor this IKJT expands to. */
  bytesBefore: number;
  /** Unique rows, inverse indices and the keys passed through. */
  bytesAfter: number;
}

/**
 * TorchRec's variable-batch KJT: per key, `stridePerKey[k]` rows (unique rows for deduplicated
 * keys, the whole batch otherwise), values and lengths key-major in `keys` order, and
 * `inverseIndices` of shape [keys.length, batchSize] (row-major) mapping samples to rows.
 * In Python: `KeyedJaggedTensor(keys, values, weights, lengths,
 * stride_per_key_per_rank=[[s] for s in stride_per_key], inverse_indices=(keys, inverse.view(len(keys), B)))`.
 */
export interface VariableBatchKjt {
  keys: readonly string[];
  values: IdArray;
  lengths: Int32Array;
  weights?: Float32Array;
  stridePerKey: Int32Array;
  inverseIndices: Int32Array;
  batchSize: number;
}

/**
 * A batch whose repeated features are stored once per unique row (RecD's IKJT). For each dedup
 * group: the unique rows as a KeyedJaggedTensor and an inverse index of length `batchSize`; keys
 * in no group are kept whole in `passthrough`. `expand()` gives back the full KeyedJaggedTensor.
 */
export class InverseKeyedJaggedTensor {
  /** Every key, in the order of the KeyedJaggedTensor this expands to. */
  readonly keys: readonly string[];
  readonly batchSize: number;
  readonly groups: readonly DedupGroup[];
  /** Keys in no group, `batchSize` rows each. */
  readonly passthrough: KeyedJaggedTensor;

  private constructor(keys: readonly string[], batchSize: number, groups: readonly DedupGroup[], passthrough: KeyedJaggedTensor) {
    this.keys = keys;
    this.batchSize = batchSize;
    this.groups = groups;
    this.passthrough = passthrough;
  }

  /** Cheap: no checks (use `validateIkjt` at trust boundaries). */
  static from(init: { keys: readonly string[]; batchSize: number; groups: readonly DedupGroup[]; passthrough: KeyedJaggedTensor }): InverseKeyedJaggedTensor {
    return new InverseKeyedJaggedTensor(init.keys, init.batchSize, init.groups, init.passthrough);
  }

  get idType(): IdType {
    return this.passthrough.keys.length > 0 || this.groups.length === 0 ? this.passthrough.idType : this.groups[0].unique.idType;
  }

  get weighted(): boolean {
    return this.passthrough.keys.length > 0 || this.groups.length === 0 ? this.passthrough.weighted : this.groups[0].unique.weighted;
  }

  /** The KeyedJaggedTensor this IKJT was made from: every key, `batchSize` rows (copies). */
  expand(): KeyedJaggedTensor {
    const { parts, indices } = this.#sources();
    const flat = gatherRows(parts, indices, this.idType, this.weighted);
    return KeyedJaggedTensor.fromLengths({ keys: this.keys, ...flat, stride: this.batchSize });
  }

  /** One group expanded to the batch: its keys, `batchSize` rows (copies). */
  expandGroup(g: number): KeyedJaggedTensor {
    const group = this.groups[g];
    return group.unique.selectRows(group.inverse);
  }

  /** TorchRec's variable-batch form (see VariableBatchKjt). Copies values once. */
  toVariableBatch(): VariableBatchKjt {
    const { parts, indices } = this.#sources();
    const flat = concatParts(parts, this.idType, this.weighted);
    const batchSize = this.batchSize;
    const stridePerKey = new Int32Array(this.keys.length);
    const inverseIndices = new Int32Array(this.keys.length * batchSize);
    parts.forEach((part, k) => {
      stridePerKey[k] = part.rows;
      inverseIndices.set(indices[k], k * batchSize);
    });
    return { keys: this.keys, ...flat, stridePerKey, inverseIndices, batchSize };
  }

  stats(): IkjtStats {
    const groups = this.groups.map((group) => groupStats(group, this.batchSize));
    const passthroughBytes = this.passthrough.byteLength;
    return {
      batchSize: this.batchSize,
      groups,
      bytesBefore: passthroughBytes + groups.reduce((sum, g) => sum + g.bytesBefore, 0),
      bytesAfter: passthroughBytes + groups.reduce((sum, g) => sum + g.bytesAfter, 0),
    };
  }

  /** Bytes of unique rows, inverse indices and passthrough keys. */
  get byteLength(): number {
    let total = this.passthrough.byteLength;
    for (const group of this.groups) total += group.unique.byteLength + group.inverse.byteLength;
    return total;
  }

  toString(): string {
    const lines = [`InverseKeyedJaggedTensor(batchSize=${this.batchSize}, keys=[${this.keys.join(', ')}])`];
    this.groups.forEach((group, g) => {
      const inverse = Array.from(group.inverse.subarray(0, 16)).join(', ') + (group.inverse.length > 16 ? ', ...' : '');
      lines.push(`  group ${g} [${group.keys.join(', ')}]: ${group.unique.stride} unique rows, inverse=[${inverse}]`);
      lines.push(indent(group.unique.toString(), '    '));
    });
    lines.push(`  passthrough:`);
    lines.push(indent(this.passthrough.toString(), '    '));
    return lines.join('\n');
  }

  /** Per key in `keys` order: where its rows live, and which of them each sample uses. */
  #sources(): { parts: JaggedTensor[]; indices: Int32Array[] } {
    const source = new Map<string, { part: JaggedTensor; inverse: Int32Array }>();
    for (const group of this.groups) {
      group.keys.forEach((key, k) => source.set(key, { part: group.unique.part(k), inverse: group.inverse }));
    }
    let identity: Int32Array | undefined;
    const parts: JaggedTensor[] = [];
    const indices: Int32Array[] = [];
    for (const key of this.keys) {
      const grouped = source.get(key);
      if (grouped) {
        parts.push(grouped.part);
        indices.push(grouped.inverse);
      } else {
        parts.push(this.passthrough.get(key));
        identity ??= identityIndex(this.batchSize);
        indices.push(identity);
      }
    }
    return { parts, indices };
  }
}

function identityIndex(size: number): Int32Array {
  const index = new Int32Array(size);
  for (let i = 0; i < size; i++) index[i] = i;
  return index;
}

function groupStats(group: DedupGroup, batchSize: number): DedupGroupStats {
  const unique = group.unique;
  const uniqueRows = unique.stride;
  // bytes of each unique row: 4 per length entry, plus its ids and weights
  const bytesPerId = (unique.idType === 'int64' ? 8 : 4) + (unique.weighted ? 4 : 0);
  const rowBytes = new Float64Array(uniqueRows).fill(4 * unique.keys.length);
  for (let k = 0; k < unique.keys.length; k++) {
    const lengths = unique.part(k).lengths;
    for (let u = 0; u < uniqueRows; u++) rowBytes[u] += lengths[u] * bytesPerId;
  }
  let bytesBefore = 0;
  for (let i = 0; i < batchSize; i++) bytesBefore += rowBytes[group.inverse[i]];
  return {
    keys: group.keys,
    uniqueRows,
    samplesPerUniqueRow: uniqueRows === 0 ? 0 : batchSize / uniqueRows,
    bytesBefore,
    bytesAfter: unique.byteLength + group.inverse.byteLength,
  };
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((line) => prefix + line)
    .join('\n');
}
