/**
 * The Arrow layout of a training batch (documented in docs/arrow-schema.md): one RecordBatch of
 * `B` rows per batch, the columns below in this order, and schema metadata `recd` that says how
 * to rebuild the tensors.
 *
 * ```
 * label            Float32                          when labels are given
 * dense            FixedSizeList<Float32>[numDense] when dense features are given
 * <key>            List<Int64 | Int32>              each passthrough key (every key of a KJT)
 * <key>:weights    List<Float32>                    when weighted
 * inverse:<g>      Int32                            each dedup group g: sample -> unique row
 * <key>            List<Int64 | Int32>, nullable    each key of group g: rows 0..U-1 are the U
 * <key>:weights    List<Float32>, nullable          unique rows, rows U..B-1 null and empty
 * ```
 */
import { DataType, Field, FixedSizeList, Float32, Int32, Int64, List, Schema } from 'apache-arrow';
import { JaggedShapeError, SchemaError, excerpt } from './errors';
import { IdType } from './ids';
import { KeyedJaggedTensor } from './keyed-jagged-tensor';
import { InverseKeyedJaggedTensor } from './inverse-keyed-jagged-tensor';

/** A training batch as it travels through Arrow (DESIGN 3.3): sparse features, labels, dense. */
export interface ArrowBatch {
  /** A KeyedJaggedTensor (dedup off) or an InverseKeyedJaggedTensor (dedup on); its rows are the samples. */
  sparse: KeyedJaggedTensor | InverseKeyedJaggedTensor;
  /** One label per sample. */
  labels?: Float32Array;
  /** Row-major `batchSize x numDense`. */
  dense?: Float32Array;
  /** Dense features per sample; defaults to `dense.length / batchSize`. */
  numDense?: number;
}

/** What the schema metadata `recd` records, as JSON. Equal layouts give equal Arrow schemas. */
export interface ArrowBatchLayout {
  version: typeof ARROW_FORMAT_VERSION;
  /** Which tensor `sparse` is decoded to. */
  sparse: 'kjt' | 'ikjt';
  /** Every key, in the order of the KJT (for an IKJT: the KJT it expands to). */
  keys: string[];
  /** Keys stored whole, one row per sample, in column order (all keys of a KJT). */
  passthrough: string[];
  /** Dedup groups in order: their keys and the name of their inverse column. */
  groups: Array<{ keys: string[]; inverse: string }>;
  idType: IdType;
  weighted: boolean;
  /** Whether there is a `label` column. */
  labels: boolean;
  /** Width of the `dense` column, or null when there is none. */
  numDense: number | null;
}

export const ARROW_FORMAT_VERSION = 1;
export const ARROW_METADATA_KEY = 'recd';
export const LABEL_COLUMN = 'label';
export const DENSE_COLUMN = 'dense';

export function weightsColumn(key: string): string {
  return `${key}:weights`;
}

export function inverseColumn(group: number): string {
  return `inverse:${group}`;
}

/** Rows (samples) of a batch's sparse features. */
export function batchSizeOf(sparse: KeyedJaggedTensor | InverseKeyedJaggedTensor): number {
  return sparse instanceof KeyedJaggedTensor ? sparse.stride : sparse.batchSize;
}

/** The layout `encodeBatchArrow` writes for this batch. Checks labels and dense against the batch size. */
export function arrowBatchLayout(batch: ArrowBatch): ArrowBatchLayout {
  const { sparse } = batch;
  const size = batchSizeOf(sparse);
  if (batch.labels && batch.labels.length !== size) {
    throw new JaggedShapeError(`labels: expected one per sample (${size}), got ${batch.labels.length}`);
  }
  const numDense = batch.dense ? denseWidth(batch.dense, size, batch.numDense) : null;
  const isKjt = sparse instanceof KeyedJaggedTensor;
  const layout: ArrowBatchLayout = {
    version: ARROW_FORMAT_VERSION,
    sparse: isKjt ? 'kjt' : 'ikjt',
    keys: [...sparse.keys],
    passthrough: [...(isKjt ? sparse.keys : sparse.passthrough.keys)],
    groups: isKjt ? [] : sparse.groups.map((group, g) => ({ keys: [...group.keys], inverse: inverseColumn(g) })),
    idType: sparse.idType,
    weighted: sparse.weighted,
    labels: batch.labels !== undefined,
    numDense,
  };
  checkLayout(layout);
  return layout;
}

/** The Arrow schema of a layout, its JSON under metadata `recd`. Throws SchemaError when two columns would share a name. */
export function arrowSchemaFor(layout: ArrowBatchLayout): Schema {
  const idType = layout.idType === 'int64' ? new Int64() : new Int32();
  const fields: Field[] = [];
  const add = (name: string, type: DataType, nullable: boolean): void => {
    if (fields.some((field) => field.name === name)) {
      throw new SchemaError(`Arrow batch: two columns would be named "${name}"; rename the key (keys are [${layout.keys.join(', ')}])`);
    }
    fields.push(new Field(name, type, nullable));
  };
  const addKey = (key: string, nullable: boolean): void => {
    add(key, new List(new Field('item', idType, false)), nullable);
    if (layout.weighted) add(weightsColumn(key), new List(new Field('item', new Float32(), false)), nullable);
  };
  if (layout.labels) add(LABEL_COLUMN, new Float32(), false);
  if (layout.numDense !== null) add(DENSE_COLUMN, new FixedSizeList(layout.numDense, new Field('item', new Float32(), false)), false);
  for (const key of layout.passthrough) addKey(key, false);
  for (const group of layout.groups) {
    add(group.inverse, new Int32(), false);
    for (const key of group.keys) addKey(key, true);
  }
  return new Schema(fields, new Map([[ARROW_METADATA_KEY, JSON.stringify(layout)]]));
}

/** Reads and checks the `recd` metadata of a schema written by `encodeBatchArrow`. */
export function readArrowBatchLayout(schema: Schema): ArrowBatchLayout {
  const text = schema.metadata.get(ARROW_METADATA_KEY);
  if (text === undefined) {
    throw new SchemaError(`Arrow schema: expected metadata "${ARROW_METADATA_KEY}" (written by encodeBatchArrow), found keys [${[...schema.metadata.keys()].join(', ')}]`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SchemaError(`Arrow schema metadata "${ARROW_METADATA_KEY}": expected JSON, got ${excerpt(text)}`, { cause: error });
  }
  const layout = parsed as ArrowBatchLayout;
  const problem = layoutProblem(layout);
  if (problem) throw new SchemaError(`Arrow schema metadata "${ARROW_METADATA_KEY}": ${problem}; got ${excerpt(text, 120)}`);
  checkLayout(layout);
  return layout;
}

function denseWidth(dense: Float32Array, size: number, given: number | undefined): number {
  const numDense = given ?? (size > 0 ? dense.length / size : 0);
  if (!(Number.isInteger(numDense) && numDense >= 0) || dense.length !== size * numDense) {
    throw new JaggedShapeError(`dense: expected batchSize x numDense = ${size} x ${given ?? '?'} values, got ${dense.length}`);
  }
  return numDense;
}

/** The shape of parsed JSON, field by field; undefined when it is a layout. */
function layoutProblem(layout: ArrowBatchLayout): string | undefined {
  const isStrings = (value: unknown): boolean => Array.isArray(value) && value.every((item) => typeof item === 'string');
  if (typeof layout !== 'object' || layout === null) return 'expected a JSON object';
  if (layout.version !== ARROW_FORMAT_VERSION) return `expected format version ${ARROW_FORMAT_VERSION}, got ${JSON.stringify(layout.version)}`;
  if (layout.sparse !== 'kjt' && layout.sparse !== 'ikjt') return `expected sparse "kjt" or "ikjt", got ${JSON.stringify(layout.sparse)}`;
  if (!isStrings(layout.keys) || !isStrings(layout.passthrough)) return 'expected keys and passthrough to be arrays of strings';
  if (!Array.isArray(layout.groups) || !layout.groups.every((group) => isStrings(group?.keys) && typeof group.inverse === 'string')) {
    return 'expected groups to be an array of { keys: string[], inverse: string }';
  }
  if (layout.idType !== 'int64' && layout.idType !== 'int32') return `expected idType "int64" or "int32", got ${JSON.stringify(layout.idType)}`;
  if (typeof layout.weighted !== 'boolean' || typeof layout.labels !== 'boolean') return 'expected weighted and labels to be booleans';
  if (layout.numDense !== null && !(Number.isInteger(layout.numDense) && layout.numDense >= 0)) {
    return `expected numDense to be null or a non-negative integer, got ${JSON.stringify(layout.numDense)}`;
  }
  return undefined;
}

/** The passthrough keys and the groups' keys must partition `keys`; groups must not be empty. */
function checkLayout(layout: ArrowBatchLayout): void {
  const owner = new Map<string, string>();
  const claim = (key: string, by: string): void => {
    const previous = owner.get(key);
    if (previous !== undefined) throw new SchemaError(`Arrow batch: key "${key}" is in both ${previous} and ${by}`);
    owner.set(key, by);
  };
  layout.passthrough.forEach((key) => claim(key, 'passthrough'));
  layout.groups.forEach((group, g) => {
    if (group.keys.length === 0) throw new SchemaError(`Arrow batch: dedup group ${g} has no keys; expected at least one (its unique-row count is read from them)`);
    group.keys.forEach((key) => claim(key, `group ${g}`));
  });
  const keys = new Set(layout.keys);
  if (keys.size !== layout.keys.length || owner.size !== keys.size || ![...owner.keys()].every((key) => keys.has(key))) {
    throw new SchemaError(
      `Arrow batch: expected passthrough and groups to hold exactly keys [${layout.keys.join(', ')}], ` +
        `got passthrough [${layout.passthrough.join(', ')}] and groups ${layout.groups.map((group) => `[${group.keys.join(', ')}]`).join(' ')}`,
    );
  }
  if (layout.sparse === 'kjt' && layout.groups.length > 0) throw new SchemaError(`Arrow batch: a KJT has no dedup groups, got ${layout.groups.length}`);
}
