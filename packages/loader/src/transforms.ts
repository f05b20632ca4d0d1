/**
 * Per-feature transforms, declared as data (so they travel to worker threads as they are) and run
 * on typed arrays. Id transforms apply to `sparse` and `sequence` features, dense transforms to
 * `dense` features; a chain runs left to right.
 *
 * | transform | on | does |
 * |---|---|---|
 * | `{ kind: 'modulo', tableSize? }` | ids | floor-mod of the signed 64-bit id: a row in `[0, tableSize)` (Int32) |
 * | `{ kind: 'hash', tableSize?, seed? }` | ids | murmur3 (x86, 32-bit) of the id's 8 little-endian bytes, low 31 bits mod `tableSize` (Int32) |
 * | `{ kind: 'truncate', maxLength?, keep? }` | ids | at most `maxLength` ids per row, the `'last'` (default) or `'first'` ones |
 * | `{ kind: 'pad', length, value? }` | ids | rows shorter than `length` get `value` (default 0) appended up to `length` |
 * | `{ kind: 'log1p' }` | dense | `log(1 + max(x, 0))` (negative counts clamp to 0, as DLRM's Criteo preprocessing does) |
 * | `{ kind: 'standardize', mean, std }` | dense | `(x - mean) / std` with given statistics |
 * | `{ kind: 'clip', min?, max? }` | dense | clamps to `[min, max]` |
 * | `{ kind: 'bucketize', boundaries }` | dense, last | the number of boundaries `<= x`: the feature becomes a sparse id feature with `boundaries.length + 1` rows |
 *
 * `tableSize` and `maxLength` default to the feature's schema values.
 */
export type IdTransform =
  | { kind: 'modulo'; tableSize?: number }
  | { kind: 'hash'; tableSize?: number; seed?: number }
  | { kind: 'truncate'; maxLength?: number; keep?: 'first' | 'last' }
  | { kind: 'pad'; length: number; value?: number };

export type DenseTransform =
  | { kind: 'log1p' }
  | { kind: 'standardize'; mean: number; std: number }
  | { kind: 'clip'; min?: number; max?: number }
  | { kind: 'bucketize'; boundaries: number[] };

export type Transform = IdTransform | DenseTransform;

/** Id transforms with every default filled in from the schema (what the kernels run). */
export type ResolvedIdTransform =
  | { kind: 'modulo'; tableSize: number }
  | { kind: 'hash'; tableSize: number; seed: number }
  | { kind: 'truncate'; maxLength: number; keep: 'first' | 'last' }
  | { kind: 'pad'; length: number; value: number };

export type ResolvedDenseTransform =
  | { kind: 'log1p' }
  | { kind: 'standardize'; mean: number; std: number }
  | { kind: 'clip'; min: number; max: number };

/** Largest table an Int32 row index can address. */
export const MAX_TABLE_SIZE = 2147483647;

/** `modulo(1048576)`, `truncate(50, last)`, `standardize(0.5, 2)`: one transform as text. */
export function describeTransform(transform: ResolvedIdTransform | ResolvedDenseTransform | { kind: 'bucketize'; boundaries: readonly number[] }): string {
  switch (transform.kind) {
    case 'modulo':
      return `modulo(${transform.tableSize})`;
    case 'hash':
      return `hash(${transform.tableSize}, seed ${transform.seed})`;
    case 'truncate':
      return `truncate(${transform.maxLength}, ${transform.keep})`;
    case 'pad':
      return `pad(${transform.length}, ${transform.value})`;
    case 'log1p':
      return 'log1p';
    case 'standardize':
      return `standardize(${transform.mean}, ${transform.std})`;
    case 'clip':
      return `clip(${transform.min}, ${transform.max})`;
    case 'bucketize':
      return `bucketize(${transform.boundaries.length + 1} buckets)`;
  }
}

/** True for transforms that turn 64-bit ids into Int32 table rows. */
export function reducesIds(transform: ResolvedIdTransform): boolean {
  return transform.kind === 'modulo' || transform.kind === 'hash';
}
