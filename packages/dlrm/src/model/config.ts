import type { Pooling } from './embedding-bag';
import { DlrmConfigError } from './errors';

export type SequenceEncoderKind = 'mean-mlp' | 'attention';

/** A sparse feature: its ids are pooled by an embedding bag over a table of `tableSize` rows. */
export interface SparseFeatureConfig {
  name: string;
  tableSize: number;
  /** Embedding dimension; when given it must equal the model's `embeddingDim`. */
  dim?: number;
  /** Default 'sum'. */
  pooling?: Pooling;
}

/** A sequence feature (e.g. a user history) and the encoder that turns it into one vector. */
export interface SequenceFeatureConfig {
  name: string;
  tableSize: number;
  /** Only the first `maxLength` ids of a sequence are used (and learned positions exist for them). */
  maxLength: number;
  /** Default 'attention'. */
  encoder?: SequenceEncoderKind;
  /** For 'mean-mlp': layer widths after the pooled vector (default [embeddingDim, embeddingDim]); the last must be embeddingDim. */
  mlp?: number[];
}

/**
 * A DLRM: `dense` float inputs through the bottom MLP, one embedding per sparse feature, one
 * encoded vector per sequence feature, all of size `embeddingDim`; their dot interaction through
 * the top MLP to one logit.
 */
export interface DlrmConfig {
  dense: number;
  sparse: SparseFeatureConfig[];
  sequence?: SequenceFeatureConfig[];
  embeddingDim: number;
  /** Layer widths after the dense input, e.g. [256, 64]; the last must equal embeddingDim. */
  bottomMlp: number[];
  /** Layer widths after the interaction, e.g. [256, 64, 1]; the last must be 1. */
  topMlp: number[];
  /** Seeds the parameter initialisation (default 0). */
  seed?: number;
}

/** Throws DlrmConfigError naming the first field that is wrong. */
export function validateDlrmConfig(config: DlrmConfig): void {
  const d = config.embeddingDim;
  positiveInteger(config.dense, 'dense');
  positiveInteger(d, 'embeddingDim');
  widths(config.bottomMlp, 'bottomMlp', d, 'embeddingDim');
  widths(config.topMlp, 'topMlp', 1, 'one logit');
  const names = new Set<string>();
  const checkName = (name: unknown, where: string): void => {
    if (typeof name !== 'string' || name.length === 0) throw new DlrmConfigError(`${where}.name: expected a non-empty string, got ${JSON.stringify(name)}`);
    if (names.has(name)) throw new DlrmConfigError(`${where}.name: feature "${name}" appears more than once`);
    names.add(name);
  };
  config.sparse.forEach((feature, f) => {
    const where = `sparse[${f}]`;
    checkName(feature.name, where);
    tableSize(feature.tableSize, `${where}.tableSize`);
    if (feature.dim !== undefined && feature.dim !== d) {
      throw new DlrmConfigError(`${where}.dim: expected embeddingDim (${d}) so the dot interaction can pair it, got ${feature.dim}`);
    }
    if (feature.pooling !== undefined && feature.pooling !== 'sum' && feature.pooling !== 'mean') {
      throw new DlrmConfigError(`${where}.pooling: expected 'sum' or 'mean', got ${JSON.stringify(feature.pooling)}`);
    }
  });
  (config.sequence ?? []).forEach((feature, f) => {
    const where = `sequence[${f}]`;
    checkName(feature.name, where);
    tableSize(feature.tableSize, `${where}.tableSize`);
    positiveInteger(feature.maxLength, `${where}.maxLength`);
    if (feature.encoder !== undefined && feature.encoder !== 'mean-mlp' && feature.encoder !== 'attention') {
      throw new DlrmConfigError(`${where}.encoder: expected 'mean-mlp' or 'attention', got ${JSON.stringify(feature.encoder)}`);
    }
    if (feature.mlp !== undefined) widths(feature.mlp, `${where}.mlp`, d, 'embeddingDim');
  });
}

function positiveInteger(value: unknown, field: string): void {
  if (!(Number.isInteger(value) && (value as number) >= 1)) throw new DlrmConfigError(`${field}: expected a positive integer, got ${JSON.stringify(value)}`);
}

function tableSize(value: unknown, field: string): void {
  if (!(Number.isInteger(value) && (value as number) >= 1 && (value as number) < 2 ** 31)) {
    throw new DlrmConfigError(`${field}: expected an integer in [1, 2^31), got ${JSON.stringify(value)}`);
  }
}

function widths(value: unknown, field: string, last: number, lastName: string): void {
  if (!Array.isArray(value) || value.length === 0) throw new DlrmConfigError(`${field}: expected a non-empty array of layer widths, got ${JSON.stringify(value)}`);
  value.forEach((width, l) => positiveInteger(width, `${field}[${l}]`));
  if (value[value.length - 1] !== last) {
    throw new DlrmConfigError(`${field}: expected the last width to be ${last} (${lastName}), got [${value.join(', ')}]`);
  }
}
