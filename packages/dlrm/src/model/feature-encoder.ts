import type { JaggedTensor } from '@recd/core';
import type { Parameter } from '../parameter';

/**
 * Maps each row of one jagged id feature to one vector: an embedding bag, or a sequence encoder.
 * `forward` returns `[ids.rows x outFeatures]` in a reused buffer; `backward` takes the gradient
 * of that output and adds the parameters' gradients (ids have no gradient).
 */
export interface FeatureEncoder {
  readonly outFeatures: number;
  forward(ids: JaggedTensor): Float32Array;
  backward(gradOutput: Float32Array): void;
  parameters(): Parameter[];
  /** The arrays of the last forward that backward reads, the ids excluded (they are the batch's). */
  savedForBackward(): ArrayBufferView[];
}
