export { CheckpointError } from './checkpoint-error';
export type { DType, Tensor, TensorData, TensorDataOf } from './dtype';
export { saveSafetensors, encodeSafetensors } from './safetensors-write';
export { loadSafetensors, decodeSafetensors } from './safetensors-read';
export type { SafetensorsContents } from './safetensors-read';
export { MAX_HEADER_BYTES } from './safetensors-header';
export { saveCheckpoint, loadCheckpoint, PARAMETER_PREFIX, OPTIMIZER_PREFIX } from './checkpoint';
export type { CheckpointMetadata, LoadCheckpointOptions } from './checkpoint';
