/**
 * Batch -> Arrow RecordBatch, zero-copy: every column's ids, weights, labels, dense values,
 * inverse indices and (for passthrough keys) offsets are the tensors' own typed arrays. Copies:
 * the dedup groups' key columns get `B + 1` padded offsets per key and one validity bitmap per
 * group, because the layout pads the `U` unique rows to `B` rows (none when `U = B`); and see
 * `BodyBuffers` for the rare buffer copied to keep Arrow JS's IPC writer correct.
 */
import { Data, DataType, FixedSizeList, Float32, Int32, List, RecordBatch, Schema, Struct, makeData } from 'apache-arrow';
import { JaggedShapeError } from './errors';
import { IdArray } from './ids';
import { KeyedJaggedTensor } from './keyed-jagged-tensor';
import { ArrowBatch, ArrowBatchLayout, DENSE_COLUMN, LABEL_COLUMN, arrowBatchLayout, arrowSchemaFor, batchSizeOf, weightsColumn } from './arrow-schema';

/**
 * One training batch as one Arrow RecordBatch of `batchSize` rows (layout in docs/arrow-schema.md).
 * The record batch holds views of the batch's arrays: do not modify them while it is in use.
 *
 * ```
 * const recordBatch = encodeBatchArrow({ sparse: dedup(kjt, [sessionKeys]), labels });
 * recordBatch.schema.fields.map((f) => f.name); // ['label', 'item_id', 'item_attr_1', 'inverse:0', 'user_id', ...]
 * ```
 */
export function encodeBatchArrow(batch: ArrowBatch): RecordBatch {
  const layout = arrowBatchLayout(batch);
  return encodeBatchWithSchema(batch, layout, arrowSchemaFor(layout));
}

/** As `encodeBatchArrow`, with the layout and schema already made (shared by every batch of a stream). */
export function encodeBatchWithSchema(batch: ArrowBatch, layout: ArrowBatchLayout, schema: Schema): RecordBatch {
  const { sparse } = batch;
  const size = batchSizeOf(sparse);
  const fields = new Map(schema.fields.map((field) => [field.name, field.type as DataType]));
  // columns are made in schema order, so buffers reach `body` in the order the IPC writer writes them
  const columns = new Map<string, Data>();
  const body = new BodyBuffers();
  if (batch.labels) columns.set(LABEL_COLUMN, makeData({ type: fields.get(LABEL_COLUMN) as Float32, length: size, data: body.take(batch.labels) }));
  if (batch.dense) {
    const type = fields.get(DENSE_COLUMN) as FixedSizeList;
    const child = makeData({ type: type.valueType, length: batch.dense.length, data: body.take(batch.dense) });
    columns.set(DENSE_COLUMN, makeData({ type, length: size, child }));
  }
  const addKeys = (kjt: KeyedJaggedTensor, keys: readonly string[], validity?: Validity): void => {
    keys.forEach((key, k) => {
      if (kjt.keys[k] !== key) throw new JaggedShapeError(`encodeBatchArrow: expected key "${key}" at position ${k}, got "${kjt.keys[k]}"`);
      const part = kjt.part(k);
      const offsets = validity ? padOffsets(part.offsets, size) : part.offsets;
      columns.set(key, listColumn(fields.get(key) as List, part.values, offsets, size, validity, body));
      if (layout.weighted) columns.set(weightsColumn(key), listColumn(fields.get(weightsColumn(key)) as List, part.weights!, offsets, size, validity, body));
    });
  };
  if (sparse instanceof KeyedJaggedTensor) {
    addKeys(sparse, layout.passthrough);
  } else {
    if (sparse.passthrough.keys.length > 0) checkTensor(sparse.passthrough, size, layout, 'passthrough');
    addKeys(sparse.passthrough, layout.passthrough);
    sparse.groups.forEach((group, g) => {
      const { unique, inverse } = group;
      const where = `dedup group ${g}`;
      if (inverse.length !== size) throw new JaggedShapeError(`${where}: expected an inverse index of length batchSize=${size}, got ${inverse.length}`);
      if (unique.stride > size) throw new JaggedShapeError(`${where}: expected at most batchSize=${size} unique rows, got ${unique.stride}`);
      checkTensor(unique, unique.stride, layout, where);
      columns.set(layout.groups[g].inverse, makeData({ type: fields.get(layout.groups[g].inverse) as Int32, length: size, data: body.take(inverse) }));
      addKeys(unique, group.keys, unique.stride < size ? leadingRowsValid(unique.stride, size) : undefined);
    });
  }
  const children = schema.fields.map((field) => columns.get(field.name)!);
  return new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: size, children }));
}

/** A validity bitmap whose first `valid` rows are set, and the count of the rows that are not. */
interface Validity {
  bitmap: Uint8Array;
  nullCount: number;
}

function leadingRowsValid(valid: number, rows: number): Validity {
  const bitmap = new Uint8Array((rows + 7) >> 3);
  bitmap.fill(0xff, 0, valid >> 3);
  if (valid & 7) bitmap[valid >> 3] = (1 << (valid & 7)) - 1;
  return { bitmap, nullCount: rows - valid };
}

/** `rows + 1` offsets: the given ones, then the last repeated (empty rows up to `rows`). */
function padOffsets(offsets: Int32Array, rows: number): Int32Array {
  const padded = new Int32Array(rows + 1);
  padded.set(offsets);
  padded.fill(offsets[offsets.length - 1], offsets.length);
  return padded;
}

function listColumn(type: List, values: IdArray | Float32Array, offsets: Int32Array, rows: number, validity: Validity | undefined, body: BodyBuffers): Data {
  const nullBitmap = validity && body.take(validity.bitmap);
  const valueOffsets = body.take(offsets);
  const child = makeData({ type: type.valueType, length: values.length, data: body.take(values) });
  return makeData({ type, length: rows, nullCount: validity?.nullCount ?? 0, nullBitmap, valueOffsets, child });
}

/**
 * Arrow JS 21's IPC writer, when it joins what it wrote into one Uint8Array (`toUint8Array`,
 * `tableToIPC`), merges consecutive chunks that lie in one ArrayBuffer into a single byte range
 * (util/buffer.ts, collapseContiguousByteRanges). Two chunks that overlap lose bytes: e.g. a key
 * with no ids in this batch, whose one offsets array serves its ids and weights columns with
 * nothing written in between. Buffers pass through `take` in write order; one that overlaps the
 * buffer before it is copied.
 */
class BodyBuffers {
  #previous: ArrayBufferView | undefined;

  take<T extends Int32Array | BigInt64Array | Float32Array | Uint8Array>(view: T): T {
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

/** Every tensor of an IKJT must agree with the layout's row count, id type and weights. */
function checkTensor(kjt: KeyedJaggedTensor, rows: number, layout: ArrowBatchLayout, where: string): void {
  if (kjt.stride !== rows || kjt.idType !== layout.idType || kjt.weighted !== layout.weighted) {
    throw new JaggedShapeError(
      `encodeBatchArrow ${where}: expected ${rows} rows of ${layout.idType}${layout.weighted ? ' weighted' : ''}, ` +
        `got ${kjt.stride} rows of ${kjt.idType}${kjt.weighted ? ' weighted' : ''}`,
    );
  }
}
