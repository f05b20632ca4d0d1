import { SchemaError } from './errors';

/**
 * The feature schema a sample dataset carries in its manifest; the loader and the trainer read
 * it, so nothing downstream hard-codes column names.
 *
 * - `label`: the training target (float, 0/1 for click models).
 * - `dense`: one float per sample.
 * - `sparse`: one id per sample (or a few), looked up in an embedding table of `tableSize` rows.
 * - `sequence`: a list of ids of at most `maxLength`, e.g. a user's history.
 *
 * `dedupGroup` names the features that repeat together: all features constant within a session
 * share the group `session` and are deduplicated as one row.
 */
export type FeatureKind = 'label' | 'dense' | 'sparse' | 'sequence';

export interface FeatureSpec {
  name: string;
  kind: FeatureKind;
  /** Embedding-table rows that ids of this feature hash into (sparse and sequence features). */
  tableSize?: number;
  /** Longest sequence kept (sequence features). */
  maxLength?: number;
  /** The dedup group this feature belongs to, e.g. `session`; absent for per-sample features. */
  dedupGroup?: string;
  /** Free text: where the feature comes from. */
  description?: string;
}

export interface FeatureSchema {
  features: FeatureSpec[];
}

/** Checks names are unique, kinds known, exactly one label, and sizes present where needed. */
export function validateFeatureSchema(schema: FeatureSchema): void {
  if (!schema || !Array.isArray(schema.features)) throw new SchemaError(`feature schema: expected { features: [...] }, got ${JSON.stringify(schema)?.slice(0, 80)}`);
  const names = new Set<string>();
  let labels = 0;
  for (const [index, feature] of schema.features.entries()) {
    const where = `feature schema: features[${index}]${feature?.name ? ` "${feature.name}"` : ''}`;
    if (typeof feature?.name !== 'string' || feature.name.length === 0) throw new SchemaError(`${where}: expected a non-empty name`);
    if (names.has(feature.name)) throw new SchemaError(`${where}: name appears more than once`);
    names.add(feature.name);
    if (!['label', 'dense', 'sparse', 'sequence'].includes(feature.kind)) {
      throw new SchemaError(`${where}: expected kind label, dense, sparse or sequence, got ${JSON.stringify(feature.kind)}`);
    }
    if (feature.kind === 'label') labels++;
    if (feature.kind === 'sparse' || feature.kind === 'sequence') {
      if (!(Number.isInteger(feature.tableSize) && feature.tableSize! > 0)) throw new SchemaError(`${where}: expected a positive integer tableSize, got ${feature.tableSize}`);
    } else if (feature.dedupGroup !== undefined) {
      throw new SchemaError(`${where}: only sparse and sequence features can have a dedupGroup, this one is ${feature.kind}`);
    }
    if (feature.kind === 'sequence' && !(Number.isInteger(feature.maxLength) && feature.maxLength! > 0)) {
      throw new SchemaError(`${where}: expected a positive integer maxLength, got ${feature.maxLength}`);
    }
  }
  if (labels !== 1) throw new SchemaError(`feature schema: expected exactly one label feature, got ${labels}`);
}

/** The features of one kind, in schema order. */
export function featuresOfKind(schema: FeatureSchema, kind: FeatureKind): FeatureSpec[] {
  return schema.features.filter((feature) => feature.kind === kind);
}

/** Dedup groups as `dedup` takes them: the sparse and sequence feature names of each group. */
export function dedupGroupsOf(schema: FeatureSchema): string[][] {
  const groups = new Map<string, string[]>();
  for (const feature of schema.features) {
    if (feature.dedupGroup === undefined || (feature.kind !== 'sparse' && feature.kind !== 'sequence')) continue;
    const group = groups.get(feature.dedupGroup) ?? [];
    group.push(feature.name);
    groups.set(feature.dedupGroup, group);
  }
  return [...groups.values()];
}
