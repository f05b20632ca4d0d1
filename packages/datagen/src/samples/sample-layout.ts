import type { FeatureSchema, FeatureSpec } from '@recd/core';
import type { SampleColumnType } from '../dataset/sample-chunk';
import type { ColumnEncoding } from '../dataset/parquet-settings';
import type { ColumnEncodingChoice } from '../dataset/encoding-trial';
import { LogSchema, labelRuleOf } from '../log/log-schema';

export interface SampleLayoutOptions {
  /** Earlier items of the session kept as the per-sample prefix (default 20). */
  prefixLength?: number;
  /** Items of the user's earlier sessions kept as the long-term history (default 50). */
  historyLength?: number;
  /** Embedding-table rows that item, user and category ids hash into (default 2^20). */
  tableSize?: number;
}

/** Column positions the generator writes to. */
export interface SampleLayout {
  columns: { name: string; type: SampleColumnType }[];
  schema: FeatureSchema;
  prefixLength: number;
  historyLength: number;
  index: {
    label: number;
    sessionId: number;
    timestamp: number;
    itemId: number;
    itemCategory: number;
    categorical: number[];
    position: number;
    timeSinceStart: number;
    dense: number[];
    sessionPrefix: number;
    userId: number;
    userHistory: number;
    sessionHour: number;
    sessionWeekday: number;
  };
}

/**
 * The columns of a sample dataset. Per sample: `label`, `item_id` (+ `item_category`, extra
 * categoricals `cat_<name>`), `position` and `time_since_start` (seconds) and extra dense
 * `dense_<name>`, `session_prefix` (earlier items of the session). Constant within a session (dedup
 * group `session`): `user_id` (0 for anonymous), `user_history` (the last items of the user's
 * earlier sessions), `session_hour` and `session_weekday` (UTC, at session start). Not features:
 * `session_id` and `timestamp` (ms), kept for inspection and ordering.
 */
export function sampleLayout(log: LogSchema, options: SampleLayoutOptions = {}): SampleLayout {
  const prefixLength = options.prefixLength ?? 20;
  const historyLength = options.historyLength ?? 50;
  const tableSize = options.tableSize ?? 1 << 20;
  const columns: { name: string; type: SampleColumnType }[] = [];
  const features: FeatureSpec[] = [];
  const add = (name: string, type: SampleColumnType, feature?: Omit<FeatureSpec, 'name'>): number => {
    columns.push({ name, type });
    if (feature) features.push({ name, ...feature });
    return columns.length - 1;
  };
  const index: SampleLayout['index'] = {
    label: add('label', 'float32', { kind: 'label', description: labelDescription(log) }),
    sessionId: add('session_id', 'int64'),
    timestamp: add('timestamp', 'int64'),
    itemId: add('item_id', 'int64', { kind: 'sparse', tableSize, description: 'the item shown' }),
    itemCategory: log.category ? add('item_category', 'int64', { kind: 'sparse', tableSize, description: `the item's ${log.category}` }) : -1,
    categorical: (log.categorical ?? []).map((name) => add(`cat_${name}`, 'int64', { kind: 'sparse', tableSize, description: `log column ${name}` })),
    position: add('position', 'float32', { kind: 'dense', description: 'position of the sample in its session (0-based)' }),
    timeSinceStart: add('time_since_start', 'float32', { kind: 'dense', description: 'seconds since the session started' }),
    dense: (log.dense ?? []).map((name) => add(`dense_${name}`, 'float32', { kind: 'dense', description: `log column ${name}` })),
    sessionPrefix: add('session_prefix', 'list<int64>', {
      kind: 'sequence',
      tableSize,
      maxLength: prefixLength,
      description: `the last ${prefixLength} items earlier in the session`,
    }),
    userId: add('user_id', 'int64', { kind: 'sparse', tableSize, dedupGroup: 'session', description: 'the user (0: anonymous)' }),
    userHistory: add('user_history', 'list<int64>', {
      kind: 'sequence',
      tableSize,
      maxLength: historyLength,
      dedupGroup: 'session',
      description: `the last ${historyLength} items of the user's earlier sessions`,
    }),
    sessionHour: add('session_hour', 'int64', { kind: 'sparse', tableSize: 24, dedupGroup: 'session', description: 'UTC hour the session started' }),
    sessionWeekday: add('session_weekday', 'int64', { kind: 'sparse', tableSize: 7, dedupGroup: 'session', description: 'UTC weekday the session started (0: Sunday)' }),
  };
  return { columns, schema: { features }, prefixLength, historyLength, index };
}

/**
 * Parquet encodings of the flat sample columns: every int64 and float32 column by trial, per
 * shard, on its first row group (dataset/encoding-trial.ts), because the best encoding depends on
 * the log and the order: on the 2M-sample benchmark (100k concurrent sessions) BYTE_STREAM_SPLIT
 * won for timestamps in session order, DELTA_BINARY_PACKED in time order, and on diginetica
 * (dates) PLAIN. List values follow the writer's `listEncoding` (parquet-wasm 0.8 cannot address
 * a list's leaf column). docs/dataset-format.md has the numbers.
 */
export function sampleColumnEncodings(layout: SampleLayout): Record<string, ColumnEncodingChoice> {
  return Object.fromEntries(layout.columns.filter((column) => column.type !== 'list<int64>').map((column) => [column.name, 'trial']));
}

/** The encodings `recd samples` used before trials (fixed for every log and order), for comparison. */
export function fixedSampleColumnEncodings(layout: SampleLayout): Record<string, ColumnEncoding> {
  const name = (index: number) => layout.columns[index].name;
  const { index } = layout;
  return {
    [name(index.label)]: 'dictionary',
    [name(index.sessionId)]: 'plain',
    [name(index.timestamp)]: 'plain',
    [name(index.userId)]: 'plain',
  };
}

function labelDescription(log: LogSchema): string {
  const rule = labelRuleOf(log);
  if (rule.kind === 'event') return `1 when the event is ${log.event?.positive.join(' or ')}`;
  if (rule.kind === 'rating') return `1 when the rating is at least ${rule.threshold}`;
  return `1 for the item viewed next, 0 for ${rule.negatives} sampled negatives`;
}
