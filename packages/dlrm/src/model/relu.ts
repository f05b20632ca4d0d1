/**
 * Rectified linear unit, elementwise:
 *
 *     forward:   y = max(0, x)
 *     backward:  dx = dy if y > 0, else 0      (the subgradient at x = 0 is taken as 0)
 */
import type { Parameter } from '../parameter';
import { Float32Buffer } from './buffers';
import type { DenseLayer } from './layer';

export class ReLU implements DenseLayer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly #output = new Float32Buffer();
  readonly #gradInput = new Float32Buffer();
  #length = 0;
  #last: Float32Array = new Float32Array(0);

  constructor(features: number) {
    this.inFeatures = features;
    this.outFeatures = features;
  }

  forward(input: Float32Array, rows: number): Float32Array {
    const length = rows * this.inFeatures;
    const output = this.#output.view(length);
    for (let i = 0; i < length; i++) output[i] = input[i] > 0 ? input[i] : 0;
    this.#length = length;
    this.#last = output;
    return output;
  }

  backward(gradOutput: Float32Array): Float32Array {
    const length = this.#length;
    const output = this.#last;
    const gradInput = this.#gradInput.view(length);
    for (let i = 0; i < length; i++) gradInput[i] = output[i] > 0 ? gradOutput[i] : 0;
    return gradInput;
  }

  parameters(): Parameter[] {
    return [];
  }
}
