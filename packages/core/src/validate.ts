import { JaggedShapeError, KeyError } from './errors';
import { KeyedJaggedTensor } from './keyed-jagged-tensor';
import { InverseKeyedJaggedTensor } from './inverse-keyed-jagged-tensor';
import { RowDeduper } from './dedup-rows';
import { groupWords } from './row-hash';

/**
 * Checks every invariant of a KeyedJaggedTensor and throws JaggedShapeError (or KeyError) saying
 * what was expected and what was found: unique keys; per key `stride` non-negative lengths whose
 * sum is the number of ids; weights, when present, one per id; flat arrays consistent with the keys.
 */
export function validateKjt(kjt: KeyedJaggedTensor, name = 'KeyedJaggedTensor'): void {
  const { keys, stride } = kjt;
  if (!(Number.isInteger(stride) && stride >= 0)) throw new JaggedShapeError(`${name}: expected a non-negative integer stride, got ${stride}`);
  const seen = new Set<string>();
  for (const key of keys) {
    if (seen.has(key)) throw new KeyError(`${name}: key "${key}" appears more than once`);
    seen.add(key);
  }
  let total = 0;
  keys.forEach((key, k) => {
    const part = kjt.part(k);
    const where = `${name} key "${key}"`;
    if (part.lengths.length !== stride) throw new JaggedShapeError(`${where}: expected ${stride} lengths (the stride), got ${part.lengths.length}`);
    if (part.idType !== kjt.idType) throw new JaggedShapeError(`${where}: expected ${kjt.idType} ids, got ${part.idType}`);
    let sum = 0;
    for (let row = 0; row < stride; row++) {
      const length = part.lengths[row];
      if (length < 0) throw new JaggedShapeError(`${where}: expected lengths >= 0, got lengths[${row}]=${length}`);
      sum += length;
    }
    if (sum !== part.values.length) throw new JaggedShapeError(`${where}: sum(lengths)=${sum} but values.length=${part.values.length}`);
    if (kjt.weighted !== (part.weights !== undefined)) {
      throw new JaggedShapeError(`${where}: expected ${kjt.weighted ? 'weights' : 'no weights'}, got ${part.weights ? 'weights' : 'none'}`);
    }
    if (part.weights && part.weights.length !== part.values.length) {
      throw new JaggedShapeError(`${where}: expected one weight per id (${part.values.length}), got ${part.weights.length} weights`);
    }
    total += sum;
  });
  if (kjt.lengths.length !== keys.length * stride) {
    throw new JaggedShapeError(`${name}: expected keys.length * stride = ${keys.length * stride} lengths, got ${kjt.lengths.length}`);
  }
  if (kjt.values.length !== total) throw new JaggedShapeError(`${name}: sum(lengths)=${total} but values.length=${kjt.values.length}`);
  if (kjt.weights && kjt.weights.length !== total) throw new JaggedShapeError(`${name}: expected ${total} weights, got ${kjt.weights.length}`);
  const offsets = kjt.offsets;
  if (offsets.length !== kjt.lengths.length + 1 || offsets[0] !== 0 || offsets[offsets.length - 1] !== total) {
    throw new JaggedShapeError(`${name}: expected ${kjt.lengths.length + 1} offsets from 0 to ${total}, got ${offsets.length} from ${offsets[0]} to ${offsets[offsets.length - 1]}`);
  }
}

export interface ValidateIkjtOptions {
  /**
   * Also require the form `dedup` produces: unique rows pairwise different, every one used, and
   * numbered in order of first use by the inverse index. Costs a dedup of every group.
   */
  canonical?: boolean;
}

/**
 * Checks every invariant of an InverseKeyedJaggedTensor: each part is a valid KJT; the groups and
 * the passthrough keys partition `keys`; each inverse has `batchSize` entries within the unique
 * rows; id types and weights agree.
 */
export function validateIkjt(ikjt: InverseKeyedJaggedTensor, options: ValidateIkjtOptions = {}): void {
  const { batchSize } = ikjt;
  if (!(Number.isInteger(batchSize) && batchSize >= 0)) throw new JaggedShapeError(`IKJT: expected a non-negative integer batchSize, got ${batchSize}`);
  validateKjt(ikjt.passthrough, 'IKJT passthrough');
  if (ikjt.passthrough.stride !== batchSize) {
    throw new JaggedShapeError(`IKJT passthrough: expected stride = batchSize = ${batchSize}, got ${ikjt.passthrough.stride}`);
  }
  const owner = new Map<string, string>();
  const claim = (key: string, by: string): void => {
    const previous = owner.get(key);
    if (previous !== undefined) throw new KeyError(`IKJT: key "${key}" is in both ${previous} and ${by}`);
    owner.set(key, by);
  };
  ikjt.passthrough.keys.forEach((key) => claim(key, 'passthrough'));
  ikjt.groups.forEach((group, g) => {
    const name = `IKJT group ${g}`;
    validateKjt(group.unique, `${name} unique`);
    if (group.unique.keys.join('\u0000') !== group.keys.join('\u0000')) {
      throw new KeyError(`${name}: expected unique keys [${group.keys.join(', ')}], got [${group.unique.keys.join(', ')}]`);
    }
    group.keys.forEach((key) => claim(key, `group ${g}`));
    if (group.unique.keys.length > 0 && (group.unique.idType !== ikjt.idType || group.unique.weighted !== ikjt.weighted)) {
      throw new JaggedShapeError(`${name}: expected ${ikjt.idType}${ikjt.weighted ? ' weighted' : ''}, got ${group.unique.idType}${group.unique.weighted ? ' weighted' : ''}`);
    }
    if (group.inverse.length !== batchSize) throw new JaggedShapeError(`${name}: expected inverse of length batchSize=${batchSize}, got ${group.inverse.length}`);
    const uniqueRows = group.unique.stride;
    for (let i = 0; i < batchSize; i++) {
      const row = group.inverse[i];
      if (!(row >= 0 && row < uniqueRows)) throw new JaggedShapeError(`${name}: expected inverse values in [0, ${uniqueRows}), got inverse[${i}]=${row}`);
    }
    if (options.canonical) checkCanonical(group.unique, group.inverse, name);
  });
  for (const key of ikjt.keys) if (!owner.has(key)) throw new KeyError(`IKJT: key "${key}" is in neither a group nor the passthrough`);
  if (owner.size !== ikjt.keys.length) {
    const extra = [...owner.keys()].filter((key) => !ikjt.keys.includes(key));
    throw new KeyError(`IKJT: expected the groups and passthrough to hold exactly keys [${ikjt.keys.join(', ')}], found also [${extra.join(', ')}]`);
  }
}

function checkCanonical(unique: KeyedJaggedTensor, inverse: Int32Array, name: string): void {
  let next = 0;
  for (let i = 0; i < inverse.length; i++) {
    if (inverse[i] > next) throw new JaggedShapeError(`${name}: expected unique rows in first-use order, but inverse[${i}]=${inverse[i]} comes before row ${next} is used`);
    if (inverse[i] === next) next++;
  }
  if (next !== unique.stride) throw new JaggedShapeError(`${name}: expected every one of ${unique.stride} unique rows to be used, ${next} are`);
  const parts = unique.keys.map((_, k) => unique.part(k));
  const { uniqueRows } = new RowDeduper().dedup(groupWords(parts, unique.stride));
  if (uniqueRows.length !== unique.stride) {
    throw new JaggedShapeError(`${name}: expected ${unique.stride} pairwise different unique rows, found only ${uniqueRows.length} different`);
  }
}
