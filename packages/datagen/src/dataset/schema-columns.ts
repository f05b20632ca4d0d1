import { FeatureKind, FeatureSchema, SchemaError } from '@recd/core';
import type { SampleColumnType } from './sample-chunk';
import type { SampleColumnSpec } from './sample-chunk-validate';

const COLUMN_TYPES_OF_KIND: Record<FeatureKind, readonly SampleColumnType[]> = {
  label: ['float32'],
  dense: ['float32'],
  sparse: ['int64', 'list<int64>'],
  sequence: ['list<int64>'],
};

/**
 * Every feature of the schema must be a column of a type its kind allows (label and dense:
 * float32; sparse: int64 or list<int64>; sequence: list<int64>). Columns the schema does not name
 * (a session id, a timestamp) are allowed.
 */
export function checkSchemaColumns(schema: FeatureSchema, columns: readonly SampleColumnSpec[], where: string): void {
  const typeOf = new Map(columns.map(({ name, type }) => [name, type]));
  for (const feature of schema.features) {
    const allowed = COLUMN_TYPES_OF_KIND[feature.kind];
    const type = typeOf.get(feature.name);
    if (type === undefined) {
      throw new SchemaError(`${where}: feature "${feature.name}" (${feature.kind}) has no column; columns are ${[...typeOf.keys()].join(', ')}`);
    }
    if (!allowed.includes(type)) {
      throw new SchemaError(`${where}: feature "${feature.name}" (${feature.kind}) expected a ${allowed.join(' or ')} column, got ${type}`);
    }
  }
}
