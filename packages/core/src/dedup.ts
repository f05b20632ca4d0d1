import { DedupGroupError } from './errors';
import { KeyedJaggedTensor } from './keyed-jagged-tensor';
import { InverseKeyedJaggedTensor, DedupGroup } from './inverse-keyed-jagged-tensor';
import { RowDeduper } from './dedup-rows';
import { groupWords } from './row-hash';

export interface DedupOptions {
  /** Reuse this deduper's scratch buffers (one per thread of work); a shared one by default. */
  deduper?: RowDeduper;
  /** Keep only these bits of each row hash. For tests: 0 forces every row to collide. */
  hashMask?: number;
}

const sharedDeduper = new RowDeduper();

/**
 * Deduplicates the rows of each group of keys. A row of a group is, for one sample, the ids and
 * weights of every key of the group; equal rows map to one unique row (first-occurrence order)
 * and `inverse[i]` says which. Keys in no group pass through unchanged. Exact for every input:
 * `dedup(kjt, groups).expand()` equals `kjt`.
 *
 * ```
 * // two sessions of 3 and 1 samples; "user" and "history" are constant within a session
 * const ikjt = dedup(kjt, [['user', 'history']]);
 * ikjt.groups[0].inverse;       // Int32Array [0, 0, 0, 1]
 * ikjt.groups[0].unique.stride; // 2
 * ```
 */
export function dedup(kjt: KeyedJaggedTensor, groups: readonly (readonly string[])[], options: DedupOptions = {}): InverseKeyedJaggedTensor {
  checkGroups(kjt, groups);
  const deduper = options.deduper ?? sharedDeduper;
  const grouped = new Set(groups.flat());
  const dedupGroups: DedupGroup[] = groups.map((keys) => {
    const groupKjt = kjt.permute(keys);
    const parts = keys.map((_, k) => groupKjt.part(k));
    const { uniqueRows, inverse } = deduper.dedup(groupWords(parts, kjt.stride), options.hashMask ?? -1);
    return { keys, unique: groupKjt.selectRows(uniqueRows), inverse };
  });
  const passthrough = kjt.permute(kjt.keys.filter((key) => !grouped.has(key)));
  return InverseKeyedJaggedTensor.from({ keys: kjt.keys, batchSize: kjt.stride, groups: dedupGroups, passthrough });
}

function checkGroups(kjt: KeyedJaggedTensor, groups: readonly (readonly string[])[]): void {
  const seen = new Map<string, number>();
  groups.forEach((keys, g) => {
    if (keys.length === 0) throw new DedupGroupError(`dedup group ${g} is empty; expected at least one key`);
    for (const key of keys) {
      if (!kjt.has(key)) {
        throw new DedupGroupError(`dedup group ${g} names key "${key}", which the batch does not have; keys are [${kjt.keys.join(', ')}]`);
      }
      const other = seen.get(key);
      if (other !== undefined) {
        throw new DedupGroupError(`key "${key}" is in dedup groups ${other} and ${g}; expected each key in at most one group`);
      }
      seen.set(key, g);
    }
  });
}
