/**
 * The loader plan: what to read and what to do with it, decided once per dataset from the feature
 * schema, the columns and the options. Plain data, so it travels to worker threads unchanged.
 */
import { FeatureSchema, FeatureSpec, IdType, SchemaError, validateFeatureSchema } from '@recd/core';
import type { SampleColumnType } from '@recd/datagen';
import { MAX_TABLE_SIZE, ResolvedDenseTransform, ResolvedIdTransform, Transform, reducesIds } from './transforms';

export interface IdFeaturePlan {
  name: string;
  /** The column is list<int64> (otherwise int64, one id per row). */
  list: boolean;
  chain: ResolvedIdTransform[];
  /** Embedding rows the ids end up in (the last modulo/hash), or undefined when they stay raw ids. */
  tableSize: number | undefined;
}

export interface DenseFeaturePlan {
  name: string;
  chain: ResolvedDenseTransform[];
  /** Set when the feature is bucketized: it becomes a sparse id feature. */
  boundaries?: number[];
}

export interface GroupPlan {
  /** The schema's dedupGroup, e.g. `session`. */
  name: string;
  keys: IdFeaturePlan[];
}

export interface LoaderPlan {
  label: string;
  /** Columns to read, with the types the manifest gives them. */
  columns: { name: string; type: SampleColumnType }[];
  /** Dense features kept dense, in `dense` column order. */
  dense: DenseFeaturePlan[];
  /** Dense features bucketized into sparse ids: keys after `sparse`'s in `batch.sparse`. */
  bucketized: DenseFeaturePlan[];
  /** Per-sample sparse and sequence features. */
  sparse: IdFeaturePlan[];
  /** Session-constant features, one entry per dedup group. */
  groups: GroupPlan[];
  idType: IdType;
  dedup: boolean;
  /** Session runs are needed (for the shuffle). */
  runs: boolean;
}

export interface PlanInput {
  schema: FeatureSchema;
  columns: readonly { name: string; type: SampleColumnType }[];
  transforms?: Record<string, Transform[]>;
  reduceIds?: boolean;
  dedup: boolean;
  shuffle: boolean;
}

export function buildPlan(input: PlanInput): LoaderPlan {
  const { schema } = input;
  validateFeatureSchema(schema);
  const types = new Map(input.columns.map((column) => [column.name, column.type]));
  const transforms = input.transforms ?? {};
  const byName = new Map(schema.features.map((feature) => [feature.name, feature]));
  for (const name of Object.keys(transforms)) {
    if (!byName.has(name)) throw new SchemaError(`transforms: no feature "${name}"; features are ${[...byName.keys()].join(', ')}`);
    if (!Array.isArray(transforms[name])) throw new SchemaError(`transforms["${name}"]: expected an array of transforms, got ${JSON.stringify(transforms[name])}`);
  }
  const columnType = (feature: FeatureSpec): SampleColumnType => {
    const type = types.get(feature.name);
    if (type === undefined) throw new SchemaError(`feature "${feature.name}" (${feature.kind}) has no column; columns are ${[...types.keys()].join(', ')}`);
    return type;
  };
  const idFeature = (feature: FeatureSpec): IdFeaturePlan => {
    const type = columnType(feature);
    if (type !== 'int64' && type !== 'list<int64>') throw new SchemaError(`feature "${feature.name}" (${feature.kind}): expected an int64 or list<int64> column, got ${type}`);
    const chain = resolveIdChain(feature, transforms[feature.name], input.reduceIds ?? true);
    const reductions = chain.filter(reducesIds);
    const last = reductions[reductions.length - 1] as { tableSize: number } | undefined;
    return { name: feature.name, list: type === 'list<int64>', chain, tableSize: last?.tableSize };
  };
  let label: string | undefined;
  const dense: DenseFeaturePlan[] = [];
  const bucketized: DenseFeaturePlan[] = [];
  const sparse: IdFeaturePlan[] = [];
  const groups = new Map<string, IdFeaturePlan[]>();
  for (const feature of schema.features) {
    if (feature.kind === 'label') {
      if (transforms[feature.name]?.length) throw new SchemaError(`transforms["${feature.name}"]: the label takes no transforms`);
      if (columnType(feature) !== 'float32') throw new SchemaError(`label "${feature.name}": expected a float32 column, got ${columnType(feature)}`);
      label = feature.name;
    } else if (feature.kind === 'dense') {
      if (columnType(feature) !== 'float32') throw new SchemaError(`dense feature "${feature.name}": expected a float32 column, got ${columnType(feature)}`);
      const plan = resolveDenseChain(feature.name, transforms[feature.name] ?? []);
      (plan.boundaries ? bucketized : dense).push(plan);
    } else if (feature.dedupGroup !== undefined) {
      const keys = groups.get(feature.dedupGroup) ?? [];
      keys.push(idFeature(feature));
      groups.set(feature.dedupGroup, keys);
    } else {
      sparse.push(idFeature(feature));
    }
  }
  const idFeatures = [...sparse, ...[...groups.values()].flat()];
  const idType: IdType = idFeatures.every((feature) => feature.tableSize !== undefined) ? 'int32' : 'int64';
  const needed = new Set([label!, ...dense.map((f) => f.name), ...bucketized.map((f) => f.name), ...idFeatures.map((f) => f.name)]);
  return {
    label: label!,
    columns: input.columns.filter((column) => needed.has(column.name)).map(({ name, type }) => ({ name, type })),
    dense,
    bucketized,
    sparse,
    groups: [...groups].map(([name, keys]) => ({ name, keys })),
    idType,
    dedup: input.dedup,
    runs: input.shuffle,
  };
}

/** The default chain is `truncate(maxLength, last)` for sequences, then `modulo(tableSize)` unless reduceIds is false. */
function resolveIdChain(feature: FeatureSpec, given: Transform[] | undefined, reduceIds: boolean): ResolvedIdTransform[] {
  const where = `transforms["${feature.name}"]`;
  if (given === undefined) {
    const chain: ResolvedIdTransform[] = [];
    if (feature.kind === 'sequence' && feature.maxLength !== undefined) chain.push({ kind: 'truncate', maxLength: feature.maxLength, keep: 'last' });
    if (reduceIds) chain.push({ kind: 'modulo', tableSize: tableSizeOf(feature, undefined, where) });
    return chain;
  }
  return given.map((transform, i) => {
    const at = `${where}[${i}]`;
    switch (transform?.kind) {
      case 'modulo':
        return { kind: 'modulo', tableSize: tableSizeOf(feature, transform.tableSize, at) };
      case 'hash':
        return { kind: 'hash', tableSize: tableSizeOf(feature, transform.tableSize, at), seed: integerIn(transform.seed ?? 0, 0, 0xffffffff, `${at}.seed`) };
      case 'truncate': {
        const keep = transform.keep ?? 'last';
        if (keep !== 'first' && keep !== 'last') throw new SchemaError(`${at}.keep: expected "first" or "last", got ${JSON.stringify(keep)}`);
        const maxLength = transform.maxLength ?? feature.maxLength;
        if (maxLength === undefined) throw new SchemaError(`${at}: expected a maxLength (the feature has none in the schema)`);
        return { kind: 'truncate', maxLength: integerIn(maxLength, 1, MAX_TABLE_SIZE, `${at}.maxLength`), keep };
      }
      case 'pad':
        return { kind: 'pad', length: integerIn(transform.length, 1, 1 << 24, `${at}.length`), value: integerIn(transform.value ?? 0, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, `${at}.value`) };
      default:
        throw new SchemaError(`${at}: expected an id transform (modulo, hash, truncate, pad) for ${feature.kind} feature "${feature.name}", got ${JSON.stringify(transform)}`);
    }
  });
}

function resolveDenseChain(name: string, given: Transform[]): DenseFeaturePlan {
  const chain: ResolvedDenseTransform[] = [];
  let boundaries: number[] | undefined;
  given.forEach((transform, i) => {
    const at = `transforms["${name}"][${i}]`;
    if (boundaries !== undefined) throw new SchemaError(`${at}: bucketize must be the last transform of dense feature "${name}"`);
    switch (transform?.kind) {
      case 'log1p':
        chain.push({ kind: 'log1p' });
        break;
      case 'standardize':
        if (!Number.isFinite(transform.mean) || !(Number.isFinite(transform.std) && transform.std > 0)) {
          throw new SchemaError(`${at}: expected a finite mean and a positive finite std, got mean ${transform.mean}, std ${transform.std}`);
        }
        chain.push({ kind: 'standardize', mean: transform.mean, std: transform.std });
        break;
      case 'clip': {
        const min = transform.min ?? -Infinity;
        const max = transform.max ?? Infinity;
        if (Number.isNaN(min) || Number.isNaN(max) || min > max) throw new SchemaError(`${at}: expected min <= max, got min ${min}, max ${max}`);
        chain.push({ kind: 'clip', min, max });
        break;
      }
      case 'bucketize': {
        const b = transform.boundaries;
        if (!Array.isArray(b) || b.length === 0 || !b.every((x, j) => Number.isFinite(x) && (j === 0 || b[j - 1] < x))) {
          throw new SchemaError(`${at}: expected non-empty, strictly ascending finite boundaries, got ${JSON.stringify(b)?.slice(0, 80)}`);
        }
        boundaries = [...b];
        break;
      }
      default:
        throw new SchemaError(`${at}: expected a dense transform (log1p, standardize, clip, bucketize) for dense feature "${name}", got ${JSON.stringify(transform)}`);
    }
  });
  return boundaries === undefined ? { name, chain } : { name, chain, boundaries };
}

function tableSizeOf(feature: FeatureSpec, given: number | undefined, where: string): number {
  const size = given ?? feature.tableSize;
  if (size === undefined) throw new SchemaError(`${where}: expected a tableSize (the feature has none in the schema)`);
  return integerIn(size, 1, MAX_TABLE_SIZE, `${where}.tableSize`);
}

function integerIn(value: unknown, min: number, max: number, where: string): number {
  if (!(typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max)) {
    throw new SchemaError(`${where}: expected an integer in [${min}, ${max}], got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Keys of `batch.sparse`, in order: per-sample id features, then bucketized dense features. */
export function sparseKeysOf(plan: LoaderPlan): string[] {
  return [...plan.sparse.map((f) => f.name), ...plan.bucketized.map((f) => f.name)];
}

/** Keys of `batch.sessionSparse`, group after group. */
export function sessionKeysOf(plan: LoaderPlan): string[] {
  return plan.groups.flatMap((group) => group.keys.map((f) => f.name));
}
