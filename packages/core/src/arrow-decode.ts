/**
 * Arrow RecordBatch -> batch, zero-copy: ids, weights, labels, dense values and inverse indices
 * are views of the record batch's buffers (for a batch read from IPC bytes: of those bytes). Each
 * key becomes one JaggedTensor over its column; lengths are derived from the offsets (`B` small
 * integers per key). A decoded KJT's flat `values`/`lengths` are built (one copy) only when asked
 * for, since Arrow stores each key in its own column.
 */
import { Data, RecordBatch, Schema } from 'apache-arrow';
import { JaggedShapeError, SchemaError } from './errors';
import { IdArray } from './ids';
import { JaggedTensor } from './jagged-tensor';
import { KeyedJaggedTensor } from './keyed-jagged-tensor';
import { InverseKeyedJaggedTensor, DedupGroup } from './inverse-keyed-jagged-tensor';
import { offsetsToLengths } from './offsets';
import { ArrowBatch, ArrowBatchLayout, DENSE_COLUMN, LABEL_COLUMN, arrowSchemaFor, readArrowBatchLayout, weightsColumn } from './arrow-schema';

/** A schema's layout and where each of its columns is, worked out once per schema. */
interface DecodePlan {
  layout: ArrowBatchLayout;
  columnIndex: Map<string, number>;
}

const plans = new WeakMap<Schema, DecodePlan>();

/**
 * The batch a RecordBatch written by `encodeBatchArrow` holds: a KJT comes back as a KJT, an IKJT
 * as an IKJT, with labels and dense features when it has them. Checks the schema (metadata `recd`,
 * every documented column with its type; other columns are ignored) and the shape of every column,
 * and throws SchemaError or JaggedShapeError. Per-element invariants (lengths >= 0, inverse in
 * range) are left to `validateKjt` / `validateIkjt`, for callers that do not trust the bytes.
 */
export function decodeBatchArrow(recordBatch: RecordBatch, schema: Schema = recordBatch.schema): ArrowBatch {
  const { layout, columnIndex } = planFor(schema);
  const size = recordBatch.numRows;
  const column = (name: string): Data => {
    const data = recordBatch.data.children[columnIndex.get(name)!];
    if (data.length !== size) throw new JaggedShapeError(`Arrow batch column "${name}": expected ${size} rows (the batch's), got ${data.length}`);
    return data;
  };
  const readKeys = (keys: readonly string[], rows: number): KeyedJaggedTensor => {
    const parts = keys.map((key) => readPart(column(key), layout.weighted ? column(weightsColumn(key)) : undefined, rows, key));
    return parts.length > 0
      ? KeyedJaggedTensor.fromJaggedTensors(keys, parts)
      : KeyedJaggedTensor.empty([], { idType: layout.idType, weighted: layout.weighted, stride: rows });
  };

  for (const key of layout.passthrough) {
    withoutNulls(column(key), key);
    if (layout.weighted) withoutNulls(column(weightsColumn(key)), weightsColumn(key));
  }
  const passthrough = readKeys(layout.passthrough, size);
  const groups = layout.groups.map((group): DedupGroup => {
    const inverse = withoutNulls(column(group.inverse), group.inverse).values as Int32Array;
    const uniqueRows = size - column(group.keys[0]).nullCount;
    for (const key of group.keys) {
      checkUniqueRows(column(key), uniqueRows, key);
      if (layout.weighted) checkUniqueRows(column(weightsColumn(key)), uniqueRows, weightsColumn(key));
    }
    return { keys: group.keys, unique: readKeys(group.keys, uniqueRows), inverse: inverse.subarray(0, size) };
  });
  const batch: ArrowBatch = {
    sparse: layout.sparse === 'kjt' ? passthrough : InverseKeyedJaggedTensor.from({ keys: layout.keys, batchSize: size, groups, passthrough }),
  };
  if (layout.labels) batch.labels = (withoutNulls(column(LABEL_COLUMN), LABEL_COLUMN).values as Float32Array).subarray(0, size);
  if (layout.numDense !== null) {
    const child = withoutNulls(column(DENSE_COLUMN), DENSE_COLUMN).children[0];
    batch.dense = (child.values as Float32Array).subarray(0, size * layout.numDense);
    batch.numDense = layout.numDense;
  }
  return batch;
}

function planFor(schema: Schema): DecodePlan {
  let plan = plans.get(schema);
  if (plan === undefined) {
    const layout = readArrowBatchLayout(schema);
    const columnIndex = new Map<string, number>();
    for (const expected of arrowSchemaFor(layout).fields) {
      const index = schema.fields.findIndex((field) => field.name === expected.name);
      if (index < 0) {
        throw new SchemaError(`Arrow batch: expected a column "${expected.name}" of type ${expected.type}; columns are [${schema.fields.map((field) => field.name).join(', ')}]`);
      }
      const actual = schema.fields[index].type;
      if (String(actual) !== String(expected.type)) throw new SchemaError(`Arrow batch column "${expected.name}": expected type ${expected.type}, got ${actual}`);
      columnIndex.set(expected.name, index);
    }
    plan = { layout, columnIndex };
    plans.set(schema, plan);
  }
  return plan;
}

/** The first `rows` rows of a list column as a JaggedTensor of views, with weights from a second list column. */
function readPart(ids: Data, weights: Data | undefined, rows: number, key: string): JaggedTensor {
  const offsets = listOffsets(ids, rows, key);
  const values = listValues(ids, offsets) as IdArray;
  let weightValues: Float32Array | undefined;
  if (weights) {
    const weightOffsets = listOffsets(weights, rows, weightsColumn(key));
    for (let i = 0; i <= rows; i++) {
      if (weightOffsets[i] - weightOffsets[0] !== offsets[i] - offsets[0]) {
        throw new JaggedShapeError(`Arrow batch column "${weightsColumn(key)}": expected the row lengths of "${key}", but row ${i - 1} differs`);
      }
    }
    weightValues = listValues(weights, weightOffsets) as Float32Array;
  }
  // JaggedTensor offsets start at 0; a sliced column's do not, so derive from lengths then
  return offsets[0] === 0
    ? JaggedTensor.fromOffsets({ values, offsets, weights: weightValues })
    : JaggedTensor.fromLengths({ values, lengths: offsetsToLengths(offsets), weights: weightValues });
}

/** The first `rows + 1` offsets of a list column, checked against its child's length. */
function listOffsets(data: Data, rows: number, name: string): Int32Array {
  const all = data.valueOffsets as Int32Array;
  // an empty list column may come without an offsets buffer (some writers skip it)
  if (data.length === 0 && all.length === 0) return new Int32Array(1);
  if (all.length < data.length + 1) throw new JaggedShapeError(`Arrow batch column "${name}": expected ${data.length + 1} offsets, got ${all.length}`);
  const offsets = all.subarray(0, rows + 1);
  const childLength = data.children[0].length;
  if (!(offsets[0] >= 0 && offsets[0] <= offsets[rows] && offsets[rows] <= childLength)) {
    throw new JaggedShapeError(`Arrow batch column "${name}": expected 0 <= offsets[0] <= offsets[${rows}] <= ${childLength} values, got ${offsets[0]} and ${offsets[rows]}`);
  }
  return offsets;
}

function listValues(data: Data, offsets: Int32Array): IdArray | Float32Array {
  return (data.children[0].values as IdArray | Float32Array).subarray(offsets[0], offsets[offsets.length - 1]);
}

/** A group's key column: rows 0..U-1 valid (the unique rows), rows U..B-1 null and empty. */
function checkUniqueRows(data: Data, uniqueRows: number, name: string): void {
  const rows = data.length;
  if (rows - data.nullCount !== uniqueRows) {
    throw new JaggedShapeError(`Arrow batch column "${name}": expected ${uniqueRows} unique rows like the group's first key, got ${rows - data.nullCount}`);
  }
  for (let i = 0; i < rows; i++) {
    if (data.getValid(i) !== i < uniqueRows) {
      throw new JaggedShapeError(`Arrow batch column "${name}": expected the ${uniqueRows} unique rows first and ${rows - uniqueRows} nulls after, but row ${i} is ${i < uniqueRows ? 'null' : 'valid'}`);
    }
  }
  const offsets = listOffsets(data, rows, name);
  if (offsets[rows] !== offsets[uniqueRows]) {
    throw new JaggedShapeError(`Arrow batch column "${name}": expected the null rows ${uniqueRows}..${rows - 1} to be empty, they hold ${offsets[rows] - offsets[uniqueRows]} values`);
  }
}

function withoutNulls(data: Data, name: string): Data {
  if (data.nullCount !== 0) throw new JaggedShapeError(`Arrow batch column "${name}": expected no nulls, got ${data.nullCount}`);
  return data;
}
