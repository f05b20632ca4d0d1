import { KeyedJaggedTensor } from './keyed-jagged-tensor';
import { InverseKeyedJaggedTensor, DedupGroup } from './inverse-keyed-jagged-tensor';
import { idsFrom } from './ids';

/**
 * The obvious way to deduplicate, kept as the naive twin of `dedup`: each row becomes a string
 * (lengths, ids and weight bits of every key, joined) and a Map finds repeats. Same result as
 * `dedup`, much slower; tests and benchmarks compare the two. Does not check its groups.
 */
export function dedupReference(kjt: KeyedJaggedTensor, groups: readonly (readonly string[])[]): InverseKeyedJaggedTensor {
  const grouped = new Set(groups.flat());
  const dedupGroups: DedupGroup[] = groups.map((keys) => {
    const parts = keys.map((key) => kjt.get(key));
    const seen = new Map<string, number>();
    const inverse = new Int32Array(kjt.stride);
    const firstRows: number[] = [];
    for (let row = 0; row < kjt.stride; row++) {
      const text = parts
        .map((part) => {
          const ids = Array.from(part.row(row) as ArrayLike<number | bigint>).join(',');
          const weights = part.rowWeights(row);
          const bits = weights ? Array.from(new Int32Array(weights.buffer, weights.byteOffset, weights.length)).join(',') : '';
          return `${ids}|${bits}`;
        })
        .join(';');
      let unique = seen.get(text);
      if (unique === undefined) {
        unique = firstRows.length;
        seen.set(text, unique);
        firstRows.push(row);
      }
      inverse[row] = unique;
    }
    const lengths: number[] = [];
    const values: Array<number | bigint> = [];
    const weights: number[] = [];
    for (const part of parts) {
      for (const row of firstRows) {
        lengths.push(part.lengths[row]);
        values.push(...(Array.from(part.row(row) as ArrayLike<number | bigint>)));
        const rowWeights = part.rowWeights(row);
        if (rowWeights) weights.push(...rowWeights);
      }
    }
    const unique = KeyedJaggedTensor.fromLengths({
      keys,
      values: idsFrom(kjt.idType, values),
      lengths: Int32Array.from(lengths),
      weights: kjt.weighted ? Float32Array.from(weights) : undefined,
      stride: firstRows.length,
    });
    return { keys, unique, inverse };
  });
  const passthrough = kjt.permute(kjt.keys.filter((key) => !grouped.has(key)));
  return InverseKeyedJaggedTensor.from({ keys: kjt.keys, batchSize: kjt.stride, groups: dedupGroups, passthrough });
}
