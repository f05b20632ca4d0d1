/**
 * Rectified linear unit, elementwise:
 *
 *     forward:   y = max(0, x)
 *     backward:  dx = dy if y > 0, else 0      (the subgradient at x = 0 is taken as 0)
 *
 * Both loops are branch-free (max(x, 0) = (x + |x|) / 2, exact in double; dy * [y > 0]): with the
 * signs of activations close to random, a branch per element mispredicts half the time and made
 * the layer 4x slower. A NaN input gives NaN (it propagates, as in PyTorch).
 * On the 'wasm' backend, when the arrays lie in the kernels' heap (the layers around it put their
 * outputs and gradients there), both passes run in wasm/assembly/relu.ts (f32x4).
 */
import type { Parameter } from '../parameter';
import { allInHeap, reluBackwardWasm, reluForwardWasm } from '../wasm/relu-wasm';
import { gemmBackend } from './backend';
import type { DenseLayer } from './layer';
import { ActivationBuffer } from './workspace';

export class ReLU implements DenseLayer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly #output = new ActivationBuffer();
  readonly #gradInput = new ActivationBuffer();
  #length = 0;
  #last: Float32Array = new Float32Array(0);

  constructor(features: number) {
    this.inFeatures = features;
    this.outFeatures = features;
  }

  forward(input: Float32Array, rows: number): Float32Array {
    const length = rows * this.inFeatures;
    const output = this.#output.view(length);
    this.#length = length;
    this.#last = output;
    if (gemmBackend() === 'wasm' && allInHeap(input, output)) {
      reluForwardWasm(length, input, output);
      return output;
    }
    for (let i = 0; i < length; i++) {
      const x = input[i];
      output[i] = 0.5 * (x + Math.abs(x));
    }
    this.#length = length;
    this.#last = output;
    return output;
  }

  backward(gradOutput: Float32Array): Float32Array {
    const length = this.#length;
    const output = this.#last;
    const gradInput = this.#gradInput.view(length);
    if (gemmBackend() === 'wasm' && allInHeap(output, gradOutput, gradInput)) {
      reluBackwardWasm(length, output, gradOutput, gradInput);
      return gradInput;
    }
    for (let i = 0; i < length; i++) gradInput[i] = gradOutput[i] * +(output[i] > 0);
    return gradInput;
  }

  parameters(): Parameter[] {
    return [];
  }

  savedForBackward(): ArrayBufferView[] {
    return [this.#last];
  }
}
