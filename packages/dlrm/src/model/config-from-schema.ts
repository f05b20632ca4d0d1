import { FeatureSchema, featuresOfKind, validateFeatureSchema } from '@recd/core';
import type { DlrmConfig, SequenceEncoderKind } from './config';
import type { Pooling } from './embedding-bag';

/** The model choices a feature schema does not carry. */
export interface DlrmSchemaOptions {
  embeddingDim: number;
  bottomMlp: number[];
  topMlp: number[];
  seed?: number;
  /** Pooling of every sparse feature (default 'sum'). */
  pooling?: Pooling;
  /** Encoder of every sequence feature (default 'attention'). */
  sequenceEncoder?: SequenceEncoderKind;
  /** Encoder of sequence features with a dedup group (session-constant, e.g. user histories); default: sequenceEncoder. */
  sessionSequenceEncoder?: SequenceEncoderKind;
  /** Hidden widths of 'mean-mlp' encoders (see SequenceFeatureConfig.mlp). */
  sequenceMlp?: number[];
  /** Caps every table at this many rows (ids are taken mod the table size). */
  maxTableSize?: number;
}

/**
 * A DLRM config for the features of a dataset's schema: one input per `dense` feature (in schema
 * order, which is the column order of a batch's dense matrix), an embedding bag per `sparse`
 * feature and an encoder per `sequence` feature, each with the schema's table size and max length.
 */
export function dlrmConfigFromSchema(schema: FeatureSchema, options: DlrmSchemaOptions): DlrmConfig {
  validateFeatureSchema(schema);
  const cap = options.maxTableSize ?? Infinity;
  return {
    dense: featuresOfKind(schema, 'dense').length,
    sparse: featuresOfKind(schema, 'sparse').map((feature) => ({
      name: feature.name,
      tableSize: Math.min(feature.tableSize!, cap),
      pooling: options.pooling ?? 'sum',
    })),
    sequence: featuresOfKind(schema, 'sequence').map((feature) => ({
      name: feature.name,
      tableSize: Math.min(feature.tableSize!, cap),
      maxLength: feature.maxLength!,
      encoder: (feature.dedupGroup !== undefined ? options.sessionSequenceEncoder : undefined) ?? options.sequenceEncoder ?? 'attention',
      ...(options.sequenceMlp ? { mlp: options.sequenceMlp } : {}),
    })),
    embeddingDim: options.embeddingDim,
    bottomMlp: options.bottomMlp,
    topMlp: options.topMlp,
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
}
