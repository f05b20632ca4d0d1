import type { Parameter } from '../parameter';

/**
 * A dense layer: `forward` maps `rows` input rows to output rows in buffers the layer owns and
 * reuses; `backward` takes the gradient of the loss with respect to the last forward's output,
 * adds the parameters' gradients into their `grad` arrays, and returns the gradient with respect
 * to the input. Returned arrays are views of the layer's buffers: valid until the next call.
 * A layer keeps a reference to its input for backward, so the input must not change in between.
 */
export interface DenseLayer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** `input` is `rows x inFeatures`, row-major; the result is `rows x outFeatures`. */
  forward(input: Float32Array, rows: number): Float32Array;
  /** `gradOutput` is `rows x outFeatures` for the rows of the last forward. */
  backward(gradOutput: Float32Array): Float32Array;
  parameters(): Parameter[];
  /** The arrays of the last forward that backward reads (its input included): what training keeps in memory. */
  savedForBackward(): ArrayBufferView[];
}
