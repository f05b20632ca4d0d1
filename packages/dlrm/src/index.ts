export { parameter } from './parameter';
export type { Parameter } from './parameter';

// the model (src/model)
export { Dlrm } from './model/dlrm';
export type { BackwardOptions } from './model/dlrm';
export { validateDlrmConfig } from './model/config';
export type { DlrmConfig, SparseFeatureConfig, SequenceFeatureConfig, SequenceEncoderKind } from './model/config';
export { dlrmConfigFromSchema } from './model/config-from-schema';
export type { DlrmSchemaOptions } from './model/config-from-schema';
export { locateFeature, checkBatchShape } from './model/batch';
export type { TrainingBatch, FeatureSource } from './model/batch';
export { DlrmConfigError, BatchError } from './model/errors';
export type { DenseLayer } from './model/layer';
export { Linear } from './model/linear';
export { ReLU } from './model/relu';
export { Mlp } from './model/mlp';
export type { MlpOptions } from './model/mlp';
export type { FeatureEncoder } from './model/feature-encoder';
export { EmbeddingTable } from './model/embedding-table';
export { EmbeddingBag } from './model/embedding-bag';
export type { EmbeddingBagOptions, Pooling } from './model/embedding-bag';
export { AttentionEncoder } from './model/attention-encoder';
export type { AttentionEncoderOptions } from './model/attention-encoder';
export { MeanMlpEncoder } from './model/mean-mlp-encoder';
export type { MeanMlpEncoderOptions } from './model/mean-mlp-encoder';
export { FeatureStack } from './model/feature-stack';
export { DotInteraction } from './model/dot-interaction';
export { BceWithLogitsLoss, bceWithLogits, sigmoid } from './model/bce-loss';
export { idsToRows, rowOfWords, rowOfInt32 } from './model/id-rows';
export { gemm, matmul, matmulTransA, matmulTransB } from './model/gemm';
export { gemmTs } from './model/gemm-ts';
export { gemmWasm, wasmAvailable } from './wasm/gemm-wasm';
export { gemmBackend, setGemmBackend } from './model/backend';
export type { GemmBackend, GemmBackendChoice } from './model/backend';
export { gemmNaive } from './model/gemm-naive';
export { distinctBytes } from './model/distinct-bytes';

// training parts (src/optim, src/metrics, src/checkpoint; docs/training-parts.md)
export * from './optim';
export * from './metrics';
export * from './checkpoint';

// the training loop (src/train)
export { Trainer } from './train/trainer';
export type { TrainerOptions, StepReport, EpochReport } from './train/trainer';
export { trainOnDataset } from './train/train-dataset';
export type { TrainDatasetOptions, TrainDatasetResult } from './train/train-dataset';
