/**
 * Named errors shared by every recd package. Messages say what was expected, what was found and
 * where, so a user can act on them without reading the source.
 */

/** Base class: every error recd throws on purpose is a RecdError. */
export class RecdError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A jagged tensor (lengths, offsets, values, weights, inverse) breaks one of its invariants. */
export class JaggedShapeError extends RecdError {}

/** A key asked for (by a group, a permutation, a lookup) does not exist, or appears twice. */
export class KeyError extends RecdError {}

/** Dedup groups are malformed: empty, overlapping, or naming keys the tensor does not have. */
export class DedupGroupError extends RecdError {}

/** A feature schema is malformed, or data does not match it. */
export class SchemaError extends RecdError {}

/** Where in an input a problem was found. `line` is 1-based; `field` is a column name. */
export interface InputLocation {
  file: string;
  line?: number;
  field?: string;
}

/** Bad input data: names the file, line and field so the user can find the row. */
export class InputError extends RecdError {
  readonly location: InputLocation;
  constructor(location: InputLocation, problem: string, options?: ErrorOptions) {
    super(`${formatLocation(location)}: ${problem}`, options);
    this.location = location;
  }
}

export function formatLocation(location: InputLocation): string {
  let text = location.file;
  if (location.line !== undefined) text += `:${location.line}`;
  if (location.field !== undefined) text += ` field "${location.field}"`;
  return text;
}

/** A short, quoted excerpt of some input for error messages. */
export function excerpt(text: string, max = 60): string {
  const flat = text.replace(/\r/g, '\\r').replace(/\n/g, '\\n');
  return JSON.stringify(flat.length > max ? `${flat.slice(0, max)}...` : flat);
}
