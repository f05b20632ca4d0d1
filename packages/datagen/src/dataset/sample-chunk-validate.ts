import { SchemaError } from '@recd/core';
import type { SampleChunk, SampleColumn, SampleColumnType } from './sample-chunk';

/** A column's name and type: what every chunk of a dataset agrees on, and what the manifest lists. */
export interface SampleColumnSpec {
  name: string;
  type: SampleColumnType;
}

export const SAMPLE_COLUMN_TYPES: readonly SampleColumnType[] = ['float32', 'int64', 'list<int64>'];

/** The names and types of a chunk's columns, in order. */
export function columnsOf(chunk: SampleChunk): SampleColumnSpec[] {
  return chunk.columns.map(({ name, type }) => ({ name, type }));
}

/**
 * Checks a chunk's shape: at least one column, unique non-empty names, known types, typed arrays
 * of the right kind, `length` rows in every column, and list offsets that start at 0, never
 * decrease and end at `values.length`. O(rows) for list columns, O(1) for the others.
 */
export function validateSampleChunk(chunk: SampleChunk, where = 'sample chunk'): void {
  if (!Number.isInteger(chunk?.length) || chunk.length < 0) throw new SchemaError(`${where}: expected a non-negative integer length, got ${chunk?.length}`);
  if (!Array.isArray(chunk.columns) || chunk.columns.length === 0) throw new SchemaError(`${where}: expected at least one column`);
  const names = new Set<string>();
  chunk.columns.forEach((column, index) => {
    const at = `${where} column ${index}${typeof column?.name === 'string' ? ` "${column.name}"` : ''}`;
    if (typeof column?.name !== 'string' || column.name.length === 0) throw new SchemaError(`${at}: expected a non-empty name`);
    if (names.has(column.name)) throw new SchemaError(`${at}: name appears more than once`);
    names.add(column.name);
    validateColumn(column, chunk.length, at);
  });
}

function validateColumn(column: SampleColumn, rows: number, at: string): void {
  switch (column.type) {
    case 'float32':
      expectArray(column.values, Float32Array, 'Float32Array', at);
      expectLength('values', column.values.length, rows, at);
      return;
    case 'int64':
      expectArray(column.values, BigInt64Array, 'BigInt64Array', at);
      expectLength('values', column.values.length, rows, at);
      return;
    case 'list<int64>': {
      expectArray(column.offsets, Int32Array, 'Int32Array', at);
      expectArray(column.values, BigInt64Array, 'BigInt64Array', at);
      const { offsets, values } = column;
      expectLength('offsets', offsets.length, rows + 1, at);
      if (offsets[0] !== 0) throw new SchemaError(`${at}: expected offsets[0] = 0, got ${offsets[0]}`);
      const row = firstDecrease(offsets, rows);
      if (row >= 0) throw new SchemaError(`${at}: offsets decrease at row ${row}: ${offsets[row]} then ${offsets[row + 1]}`);
      if (offsets[rows] !== values.length) throw new SchemaError(`${at}: expected offsets[${rows}] = values.length = ${values.length}, got ${offsets[rows]}`);
      return;
    }
    default:
      throw new SchemaError(`${at}: expected type ${SAMPLE_COLUMN_TYPES.join(', ')}, got ${JSON.stringify((column as { type: unknown }).type)}`);
  }
}

/** The first row whose offsets decrease, or -1 (a loop-only function, so V8 does not deoptimize validateColumn after its loop at every call). */
function firstDecrease(offsets: Int32Array, rows: number): number {
  for (let row = 0; row < rows; row++) if (offsets[row + 1] < offsets[row]) return row;
  return -1;
}

/** By the value's own tag, not `instanceof`: arrays made in another realm (a worker's message, a test sandbox) pass too. */
function expectArray(value: unknown, kind: Function, kindName: string, at: string): void {
  if (!(value instanceof kind) && Object.prototype.toString.call(value) !== `[object ${kindName}]`) throw new SchemaError(`${at}: expected a ${kindName}, got ${(value as object)?.constructor?.name ?? typeof value}`);
}

function expectLength(what: string, got: number, expected: number, at: string): void {
  if (got !== expected) throw new SchemaError(`${at}: expected ${what}.length ${expected}, got ${got}`);
}

/** Throws unless `chunk` has exactly the columns `expected` (names and types, in order). */
export function checkChunkColumns(expected: readonly SampleColumnSpec[], chunk: SampleChunk, where = 'sample chunk'): void {
  const got = chunk.columns;
  const same = got.length === expected.length && got.every((column, i) => column.name === expected[i].name && column.type === expected[i].type);
  if (!same) throw new SchemaError(`${where}: expected columns ${describeColumns(expected)}, got ${describeColumns(got)}`);
}

export function describeColumns(columns: readonly SampleColumnSpec[]): string {
  const text = columns.map(({ name, type }) => `${name}:${type}`).join(', ');
  return `[${text.length > 200 ? `${text.slice(0, 200)}...` : text}]`;
}
