import { SchemaError } from '@recd/core/dist/errors';

/**
 * How the columns of an interaction log map to what sample generation needs. Given as a JSON
 * file (`--schema`) or a preset (`--preset`). Column names refer to the header (or to `csv.columns`
 * for a file without one).
 */
export interface LogSchema {
  /** A name for messages and the manifest (a preset's name). */
  name?: string;
  csv?: {
    delimiter?: string;
    header?: boolean;
    /** Column names of a file without a header row. */
    columns?: string[];
  };
  /** Other spellings of header names: `{ "session_id": "sessionId" }` reads a `session_id` column as `sessionId`. */
  aliases?: Record<string, string>;
  /** Session ids. Without it, sessions come from `user` plus an inactivity gap. */
  session?: string;
  /** User ids; a null user (see `nullValues`) is an anonymous visitor. */
  user?: string;
  /** Item ids (required). */
  item: string;
  time: TimeField;
  /** Event type column: which values are positive (clicks, purchases), which rows to drop. */
  event?: { column: string; positive: string[]; ignore?: string[] };
  /** A rating column (for `label.kind = 'rating'`). */
  rating?: string;
  /** An item attribute (e.g. category); non-numeric values are hashed to 64-bit ids. */
  category?: string;
  /** Extra per-sample float columns. */
  dense?: string[];
  /** Extra per-sample categorical columns (integers, or text hashed to 64-bit ids). */
  categorical?: string[];
  /** Field texts that mean "no value" (default `['', 'NA', 'NULL', 'null']`); only optional fields may be null. */
  nullValues?: string[];
  /** How samples get their label (default: from `event` if given, else `rating` >= 4, else next item). */
  label?: LabelRule;
  /** Inactivity gap that ends a session when the log has no session column (default 30). */
  sessionGapMinutes?: number;
}

/**
 * Timestamps become epoch milliseconds. `epoch-s` and `epoch-ms` are numbers (fractions allowed);
 * `iso` is an ISO 8601 date-time (`2014-04-07T10:51:09.277Z`); `offset-ms` is milliseconds since
 * the start of the session, added to the date in `dateColumn` (diginetica's `timeframe` and
 * `eventdate`).
 */
export interface TimeField {
  column: string;
  unit: 'epoch-s' | 'epoch-ms' | 'iso' | 'offset-ms';
  dateColumn?: string;
}

export type LabelRule =
  /** Every row is an impression; label 1 when its event is in `event.positive`. */
  | { kind: 'event' }
  /** Every row is an impression; label 1 when rating >= threshold. */
  | { kind: 'rating'; threshold: number }
  /**
   * For view-only logs: at each position after the first, the item viewed next is a positive
   * sample and `negatives` items drawn (seeded) from the same partition's items are negatives.
   */
  | { kind: 'next-item'; negatives: number };

export const DEFAULT_NULL_VALUES = ['', 'NA', 'NULL', 'null'];

export function labelRuleOf(schema: LogSchema): LabelRule {
  if (schema.label) return schema.label;
  if (schema.event) return { kind: 'event' };
  if (schema.rating) return { kind: 'rating', threshold: 4 };
  return { kind: 'next-item', negatives: 4 };
}

/** Checks a schema (from JSON or a preset) and says which field is wrong. */
export function validateLogSchema(schema: LogSchema, origin = 'log schema'): void {
  const fail = (message: string): never => {
    throw new SchemaError(`${origin}: ${message}`);
  };
  if (typeof schema !== 'object' || schema === null) fail(`expected an object, got ${JSON.stringify(schema)}`);
  if (typeof schema.item !== 'string' || schema.item === '') fail('expected "item": the name of the item id column');
  if (typeof schema.time !== 'object' || typeof schema.time?.column !== 'string') fail('expected "time": { "column": ..., "unit": ... }');
  if (!['epoch-s', 'epoch-ms', 'iso', 'offset-ms'].includes(schema.time.unit)) {
    fail(`time.unit: expected epoch-s, epoch-ms, iso or offset-ms, got ${JSON.stringify(schema.time.unit)}`);
  }
  if (schema.time.unit === 'offset-ms' && !schema.time.dateColumn) fail('time.unit offset-ms needs time.dateColumn (the date the offsets count from)');
  if (!schema.session && !schema.user) fail('expected "session" or "user": sessions come from a session column, or from a user column plus an inactivity gap');
  const label = labelRuleOf(schema);
  if (label.kind === 'event' && !schema.event) fail('label.kind "event" needs "event": { "column", "positive" }');
  if (label.kind === 'rating' && !schema.rating) fail('label.kind "rating" needs "rating": the rating column');
  if (label.kind === 'rating' && !Number.isFinite(label.threshold)) fail(`label.threshold: expected a number, got ${label.threshold}`);
  if (label.kind === 'next-item' && !(Number.isInteger(label.negatives) && label.negatives >= 0)) {
    fail(`label.negatives: expected a non-negative integer, got ${label.negatives}`);
  }
  if (!['event', 'rating', 'next-item'].includes(label.kind)) fail(`label.kind: expected event, rating or next-item, got ${JSON.stringify(label.kind)}`);
  if (schema.sessionGapMinutes !== undefined && !(schema.sessionGapMinutes > 0)) fail(`sessionGapMinutes: expected a positive number, got ${schema.sessionGapMinutes}`);
  if (schema.event && !Array.isArray(schema.event.positive)) fail('event.positive: expected a list of event values');
}

/** Every column the schema reads, for checking a file's header. */
export function columnsOf(schema: LogSchema): string[] {
  const columns = [schema.session, schema.user, schema.item, schema.time.column, schema.time.dateColumn, schema.event?.column, schema.rating, schema.category];
  return [...columns, ...(schema.dense ?? []), ...(schema.categorical ?? [])].filter((column): column is string => typeof column === 'string');
}
