import { FeatureSchema, InputError, RecdError, validateFeatureSchema } from '@recd/core';
import { SAMPLE_ORDERS } from './dataset-writer-options';
import { isPlainFileName } from './existing-dataset';
import { DatasetManifest, MANIFEST_FORMAT, MANIFEST_VERSION } from './manifest';
import { CODECS, COLUMN_ENCODINGS } from './parquet-settings';
import { SAMPLE_COLUMN_TYPES } from './sample-chunk-validate';
import { checkSchemaColumns } from './schema-columns';

/**
 * Checks parsed `manifest.json` content field by field: format and version first (so a manifest
 * of another format or a newer version says so before anything else), then every field the
 * readers rely on, and that the shard rows add up. Errors are InputErrors naming `file` and field.
 */
export function validateDatasetManifest(value: unknown, file: string): DatasetManifest {
  const fail = (field: string, problem: string): never => {
    throw new InputError({ file, field }, problem);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('(top level)', `expected a JSON object, got ${kindOf(value)}`);
  const m = value as Record<string, unknown>;
  if (m.format !== MANIFEST_FORMAT) fail('format', `expected ${JSON.stringify(MANIFEST_FORMAT)}, got ${JSON.stringify(m.format)}: not a recd sample dataset`);
  if (m.version !== MANIFEST_VERSION) fail('version', `expected ${MANIFEST_VERSION}, got ${JSON.stringify(m.version)}: written by another version of recd`);
  const count = (field: string, x: unknown, min = 0): number =>
    Number.isSafeInteger(x) && (x as number) >= min ? (x as number) : fail(field, `expected an integer >= ${min}, got ${JSON.stringify(x)}`);
  const text = (field: string, x: unknown): string => (typeof x === 'string' ? x : fail(field, `expected a string, got ${JSON.stringify(x)}`));
  const oneOf = <T>(field: string, x: unknown, allowed: readonly T[]): T =>
    allowed.includes(x as T) ? (x as T) : fail(field, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(x)}`);

  text('createdBy', m.createdBy);
  text('createdAt', m.createdAt);
  const rows = count('rows', m.rows);
  count('sessions', m.sessions);
  oneOf('order', m.order, SAMPLE_ORDERS);
  oneOf('codec', m.codec, CODECS);
  count('rowGroupSize', m.rowGroupSize, 1);
  count('dataPageSizeBytes', m.dataPageSizeBytes, 1);
  if (!Array.isArray(m.shards) || m.shards.length === 0) fail('shards', `expected a non-empty array, got ${kindOf(m.shards)}`);
  let shardRows = 0;
  const files = new Set<string>();
  (m.shards as unknown[]).forEach((shard, i) => {
    const s = (shard ?? {}) as Record<string, unknown>;
    if (!isPlainFileName(s.file)) fail(`shards[${i}].file`, `expected a file name inside the dataset folder, got ${JSON.stringify(s.file)}`);
    if (files.has(s.file as string)) fail(`shards[${i}].file`, `${JSON.stringify(s.file)} is listed twice`);
    files.add(s.file as string);
    shardRows += count(`shards[${i}].rows`, s.rows);
    count(`shards[${i}].bytes`, s.bytes, 1);
    count(`shards[${i}].sessions`, s.sessions);
    count(`shards[${i}].rowGroups`, s.rowGroups);
    if (s.columnEncodings !== undefined) {
      const encodings = s.columnEncodings;
      if (typeof encodings !== 'object' || encodings === null || Array.isArray(encodings)) fail(`shards[${i}].columnEncodings`, `expected an object, got ${kindOf(encodings)}`);
      for (const [name, encoding] of Object.entries(encodings as object)) oneOf(`shards[${i}].columnEncodings.${name}`, encoding, COLUMN_ENCODINGS);
    }
  });
  if (shardRows !== rows) fail('rows', `expected the sum of shards[].rows = ${shardRows}, got ${rows}`);
  if (!Array.isArray(m.columns) || m.columns.length === 0) fail('columns', `expected a non-empty array, got ${kindOf(m.columns)}`);
  (m.columns as unknown[]).forEach((column, i) => {
    const c = (column ?? {}) as Record<string, unknown>;
    text(`columns[${i}].name`, c.name);
    oneOf(`columns[${i}].type`, c.type, SAMPLE_COLUMN_TYPES);
  });
  try {
    validateFeatureSchema(m.schema as FeatureSchema);
    checkSchemaColumns(m.schema as FeatureSchema, m.columns as DatasetManifest['columns'], 'manifest');
  } catch (error) {
    fail('schema', (error as RecdError).message);
  }
  return value as DatasetManifest;
}

function kindOf(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? `an array of ${value.length}` : typeof value;
}
