import { RecdError } from '@recd/core';

/** A safetensors file or checkpoint is malformed, or does not match the model it is loaded into. */
export class CheckpointError extends RecdError {}
