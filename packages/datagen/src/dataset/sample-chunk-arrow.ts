/**
 * SampleChunk <-> Arrow RecordBatch, zero-copy both ways: every Arrow buffer is one of the chunk's
 * typed arrays (float32 and int64 values, list offsets and list values), and a chunk read back is
 * views of the record batch's buffers. Copies happen only where Arrow JS forces them: a buffer that
 * overlaps the one written before it (see `BodyBuffers`), and list offsets that do not start at 0
 * (a sliced batch), which are rebased.
 *
 * Columns are non-nullable; list elements are named `element` (the Parquet LIST convention).
 */
import { Data, DataType, Field, Float32, Int64, List, Precision, RecordBatch, Schema, Struct, makeData } from 'apache-arrow';
import { SchemaError } from '@recd/core';
import type { SampleChunk, SampleColumn, SampleColumnType } from './sample-chunk';
import type { SampleColumnSpec } from './sample-chunk-validate';

export const LIST_ELEMENT_NAME = 'element';

export function arrowTypeOf(type: SampleColumnType): DataType {
  switch (type) {
    case 'float32':
      return new Float32();
    case 'int64':
      return new Int64();
    case 'list<int64>':
      return new List(new Field(LIST_ELEMENT_NAME, new Int64(), false));
  }
}

/** The Arrow schema of a dataset's columns. */
export function arrowSchemaOf(columns: readonly SampleColumnSpec[]): Schema {
  return new Schema(columns.map(({ name, type }) => new Field(name, arrowTypeOf(type), false)));
}

/**
 * One RecordBatch over the chunk's arrays (no copy but see the file comment). The batch shares
 * the chunk's memory: do not modify the chunk while the batch is in use. The chunk is assumed
 * valid (`validateSampleChunk`) and to have `schema`'s columns.
 */
export function sampleChunkToArrow(chunk: SampleChunk, schema: Schema = arrowSchemaOf(chunk.columns)): RecordBatch {
  const body = new BodyBuffers();
  const children = chunk.columns.map((column, i) => columnData(column, schema.fields[i].type, chunk.length, body));
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: chunk.length, nullCount: 0, children }));
}

function columnData(column: SampleColumn, type: DataType, rows: number, body: BodyBuffers): Data {
  switch (column.type) {
    case 'float32':
      return makeData({ type: type as Float32, length: rows, nullCount: 0, data: body.take(column.values) });
    case 'int64':
      return makeData({ type: type as Int64, length: rows, nullCount: 0, data: body.take(column.values) });
    case 'list<int64>': {
      const listType = type as List<Int64>;
      const valueOffsets = body.take(column.offsets);
      const child = makeData({ type: listType.valueType, length: column.values.length, nullCount: 0, data: body.take(column.values) });
      return makeData({ type: listType, length: rows, nullCount: 0, valueOffsets, child });
    }
  }
}

/**
 * Arrow JS 21's IPC writer joins consecutive buffers that lie in one ArrayBuffer into one byte
 * range (util/buffer.ts, collapseContiguousByteRanges); two that overlap lose bytes, e.g. two
 * columns that share one array. Buffers pass through `take` in write order; one that overlaps the
 * buffer before it is copied.
 */
class BodyBuffers {
  #previous: ArrayBufferView | undefined;

  take<T extends Int32Array | BigInt64Array | Float32Array>(view: T): T {
    if (view.byteLength === 0) return view; // the writer skips empty buffers
    const previous = this.#previous;
    const overlaps =
      previous !== undefined &&
      previous.buffer === view.buffer &&
      view.byteOffset < previous.byteOffset + previous.byteLength &&
      previous.byteOffset < view.byteOffset + view.byteLength;
    const result = overlaps ? (view.slice() as T) : view;
    this.#previous = result;
    return result;
  }
}

/** The SampleColumnType of an Arrow type, or undefined when the dataset format has no such column. */
export function sampleTypeOf(type: DataType): SampleColumnType | undefined {
  if (DataType.isFloat(type) && type.precision === Precision.SINGLE) return 'float32';
  if (DataType.isInt(type) && type.bitWidth === 64 && type.isSigned) return 'int64';
  if (DataType.isList(type)) {
    const element = (type as List).valueType;
    if (DataType.isInt(element) && element.bitWidth === 64 && element.isSigned) return 'list<int64>';
  }
  return undefined;
}

/**
 * The chunk a RecordBatch holds: views of its buffers (for a batch read from IPC bytes, of those
 * bytes). Throws SchemaError, naming `where` and the column, on a column type the format does not
 * have or on a null.
 */
export function sampleChunkFromArrow(batch: RecordBatch, where: string): SampleChunk {
  const rows = batch.numRows;
  const columns = batch.schema.fields.map((field, i) => sampleColumnFromArrow(field, batch.data.children[i], rows, where));
  return { length: rows, columns };
}

/** One Arrow column as a SampleColumn of views; `where` (may be empty) starts error messages. */
export function sampleColumnFromArrow(field: Field, data: Data, rows: number, where: string): SampleColumn {
  const at = `${where ? `${where} ` : ''}column "${field.name}"`;
  const type = sampleTypeOf(field.type);
  if (type === undefined) throw new SchemaError(`${at}: expected float32, int64 or list<int64>, got ${field.type}`);
  if (data.nullCount > 0) throw new SchemaError(`${at}: expected no nulls, got ${data.nullCount}`);
  // Arrow JS slices values and offsets along with the Data (see Data._sliceBuffers), not list children
  switch (type) {
    case 'float32':
      return { name: field.name, type, values: (data.values as Float32Array).subarray(0, rows) };
    case 'int64':
      return { name: field.name, type, values: (data.values as BigInt64Array).subarray(0, rows) };
    case 'list<int64>': {
      const child = data.children[0];
      if (child.nullCount > 0) throw new SchemaError(`${at}: expected no null list elements, got ${child.nullCount}`);
      let offsets = (data.valueOffsets as Int32Array).subarray(0, rows + 1);
      if (offsets.length === 0) offsets = new Int32Array(1); // zero rows may come without offsets
      const start = offsets[0];
      const values = (child.values as BigInt64Array).subarray(start, offsets[rows]);
      if (start !== 0) offsets = offsets.map((offset) => offset - start);
      return { name: field.name, type, offsets, values };
    }
  }
}
