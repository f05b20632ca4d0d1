import fc from 'fast-check';
import { KeyedJaggedTensor, IdType, idsFrom } from '@recd/core';

/** Ids that stress 64-bit handling: extremes, around 2^53, negatives, small repeats. */
const INT64_EDGES = [0n, 1n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n, 2n ** 53n + 1n, -(2n ** 53n) - 1n, 2n ** 32n, -(2n ** 32n)];

export function idArb(idType: IdType): fc.Arbitrary<bigint> {
  if (idType === 'int32') return fc.oneof(fc.integer({ min: -3, max: 3 }), fc.integer()).map(BigInt);
  return fc.oneof(fc.constantFrom(...INT64_EDGES), fc.bigInt({ min: -3n, max: 3n }), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }));
}

/** Weights that stress bitwise equality: 0 and -0, NaN, repeats. */
const weightArb = fc.oneof(fc.constantFrom(0, -0, 1, 0.5), fc.float({ noNaN: true }));

export interface KjtSpec {
  keys: string[];
  stride: number;
  idType: IdType;
  weighted: boolean;
  rows: bigint[][]; // key-major: rows[k * stride + i]
  weights: number[][];
}

/**
 * Random KJTs with many repeated rows: each row is drawn from a small pool per key, so dedup
 * finds both duplicates and near-duplicates (same ids, other weights or lengths).
 */
export function kjtArb(options: { maxKeys?: number; maxStride?: number; idType?: IdType; weighted?: boolean } = {}): fc.Arbitrary<KeyedJaggedTensor> {
  return kjtSpecArb(options).map(buildKjt);
}

export function kjtSpecArb(options: { maxKeys?: number; maxStride?: number; idType?: IdType; weighted?: boolean } = {}): fc.Arbitrary<KjtSpec> {
  const idTypeArb = options.idType ? fc.constant(options.idType) : fc.constantFrom<IdType>('int32', 'int64');
  const weightedArb = options.weighted !== undefined ? fc.constant(options.weighted) : fc.boolean();
  return fc
    .record({
      numKeys: fc.integer({ min: 0, max: options.maxKeys ?? 4 }),
      stride: fc.integer({ min: 0, max: options.maxStride ?? 12 }),
      idType: idTypeArb,
      weighted: weightedArb,
    })
    .chain(({ numKeys, stride, idType, weighted }) => {
      const rowArb = fc.array(fc.tuple(idArb(idType), weightArb), { maxLength: 4 });
      return fc.record({
        pools: fc.array(fc.array(rowArb, { minLength: 1, maxLength: 3 }), { minLength: numKeys, maxLength: numKeys }),
        picks: fc.array(fc.nat(), { minLength: numKeys * stride, maxLength: numKeys * stride }),
      }).map(({ pools, picks }) => {
        const rows: bigint[][] = [];
        const weights: number[][] = [];
        for (let k = 0; k < numKeys; k++) {
          for (let i = 0; i < stride; i++) {
            const pool = pools[k];
            const row = pool[picks[k * stride + i] % pool.length];
            rows.push(row.map(([id]) => id));
            weights.push(row.map(([, w]) => w));
          }
        }
        return { keys: Array.from({ length: numKeys }, (_, k) => `k${k}`), stride, idType, weighted, rows, weights };
      });
    });
}

export function buildKjt(spec: KjtSpec): KeyedJaggedTensor {
  return KeyedJaggedTensor.fromLengths({
    keys: spec.keys,
    values: idsFrom(spec.idType, spec.rows.flat()),
    lengths: Int32Array.from(spec.rows.map((row) => row.length)),
    weights: spec.weighted ? Float32Array.from(spec.weights.flat()) : undefined,
    stride: spec.stride,
  });
}

/** Random groups over a KJT's keys: a partition of a random subset of its keys. */
export function groupsArb(keys: readonly string[]): fc.Arbitrary<string[][]> {
  return fc.array(fc.integer({ min: -1, max: 2 }), { minLength: keys.length, maxLength: keys.length }).map((assignment) => {
    const groups: string[][] = [[], [], []];
    assignment.forEach((g, k) => {
      if (g >= 0) groups[g].push(keys[k]);
    });
    return groups.filter((group) => group.length > 0);
  });
}

export function kjtWithGroupsArb(options: Parameters<typeof kjtArb>[0] = {}): fc.Arbitrary<[KeyedJaggedTensor, string[][]]> {
  return kjtArb(options).chain((kjt) => groupsArb(kjt.keys).map((groups) => [kjt, groups] as [KeyedJaggedTensor, string[][]]));
}
