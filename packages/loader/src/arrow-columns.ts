/**
 * Decoded Arrow record batches -> SampleChunk columns (views of the batch's buffers, no copy), for
 * the plan's columns only, and the check that a file's Arrow schema has them with the types the
 * manifest lists.
 */
import { RecordBatch, Schema, tableFromIPC } from 'apache-arrow';
import { SchemaError } from '@recd/core';
import { sampleColumnFromArrow, sampleTypeOf } from '@recd/datagen';
import type { SampleChunk, SampleColumnType } from '@recd/datagen';

type ColumnSpec = { name: string; type: SampleColumnType };

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
      return sampleColumnFromArrow(batch.schema.fields[i], batch.data.children[i], rows, '');
    }),
  };
}

/** Arrow IPC stream parts (from parquet-wasm) -> SampleChunks, views of the decoded buffers. */
export function chunksFromIpc(parts: readonly Uint8Array[], columns: readonly ColumnSpec[]): SampleChunk[] {
  return parts.flatMap((part) => tableFromIPC(part).batches.map((batch) => chunkFromArrow(batch, columns)));
}
