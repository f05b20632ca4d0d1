/**
 * Decoded Arrow record batches -> SampleChunk columns (views of the batch's buffers, no copy), for
 * the plan's columns only, and the check that a file's Arrow schema has them with the types the
 * manifest lists.
 */
import { Data, DataType, Field, List, Precision, RecordBatch, Schema } from 'apache-arrow';
import { SchemaError } from '@recd/core';
import type { SampleChunk, SampleColumn, SampleColumnType } from '@recd/datagen';

type ColumnSpec = { name: string; type: SampleColumnType };

/** The dataset column type of an Arrow type, or undefined when the format has none. */
export function sampleTypeOf(type: DataType): SampleColumnType | undefined {
  if (DataType.isFloat(type) && type.precision === Precision.SINGLE) return 'float32';
  if (DataType.isInt(type) && type.bitWidth === 64 && type.isSigned) return 'int64';
  if (DataType.isList(type)) {
    const element = (type as List).valueType;
    if (DataType.isInt(element) && element.bitWidth === 64 && element.isSigned) return 'list<int64>';
  }
  return undefined;
}

/** Throws SchemaError when `schema` lacks a column of `columns` or has it with another type. */
export function checkArrowSchema(schema: Schema, columns: readonly ColumnSpec[]): void {
  const fields = new Map(schema.fields.map((field) => [field.name, field]));
  for (const { name, type } of columns) {
    const field = fields.get(name);
    if (field === undefined) throw new SchemaError(`no column "${name}" (the manifest lists it as ${type}); the file has ${[...fields.keys()].join(', ')}`);
    const found = sampleTypeOf(field.type);
    if (found !== type) throw new SchemaError(`column "${name}": expected ${type} as the manifest says, the file has ${field.type}`);
  }
}

/** The plan's columns of one record batch, as views. Throws SchemaError on a wrong type or a null. */
export function chunkFromArrow(batch: RecordBatch, columns: readonly ColumnSpec[]): SampleChunk {
  checkArrowSchema(batch.schema, columns);
  const index = new Map(batch.schema.fields.map((field, i) => [field.name, i]));
  const rows = batch.numRows;
  return {
    length: rows,
    columns: columns.map(({ name }) => {
      const i = index.get(name)!;
      return columnFromData(batch.schema.fields[i], batch.data.children[i], rows);
    }),
  };
}

function columnFromData(field: Field, data: Data, rows: number): SampleColumn {
  const at = `column "${field.name}"`;
  if (data.nullCount > 0) throw new SchemaError(`${at}: expected no nulls, got ${data.nullCount}`);
  const type = sampleTypeOf(field.type)!;
  switch (type) {
    case 'float32':
      return { name: field.name, type, values: (data.values as Float32Array).subarray(0, rows) };
    case 'int64':
      return { name: field.name, type, values: (data.values as BigInt64Array).subarray(0, rows) };
    case 'list<int64>': {
      const child = data.children[0];
      if (child.nullCount > 0) throw new SchemaError(`${at}: expected no null list elements, got ${child.nullCount}`);
      let offsets = (data.valueOffsets as Int32Array).subarray(0, rows + 1);
      if (offsets.length === 0) offsets = new Int32Array(1);
      const start = offsets[0];
      const values = (child.values as BigInt64Array).subarray(start, offsets[rows]);
      if (start !== 0) offsets = offsets.map((offset) => offset - start);
      return { name: field.name, type, offsets, values };
    }
  }
}
