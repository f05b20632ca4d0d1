/**
 * Multilayer perceptron: a stack of Linear layers with a ReLU after each but the last,
 *
 *     h0 = x,   h(l+1) = ReLU(h(l) W(l)^T + b(l))   for l < L-1,   y = h(L-1) W(L-1)^T + b(L-1)
 *
 * (a ReLU after the last layer too when `finalActivation` is set). Backward runs the layers in
 * reverse, each adding its parameter gradients and passing the input gradient down.
 */
import type { Rng } from '@recd/core';
import type { Parameter } from '../parameter';
import type { DenseLayer } from './layer';
import { Linear } from './linear';
import { ReLU } from './relu';

export interface MlpOptions {
  /** Apply a ReLU after the last Linear too (default false). */
  finalActivation?: boolean;
}

export class Mlp implements DenseLayer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  /** Linear and ReLU layers in order. */
  readonly layers: readonly DenseLayer[];

  /**
   * `widths` are the layer sizes after the input: `new Mlp('bottom', 13, [256, 64], rng)` is
   * 13 -> 256 -> ReLU -> 64. Parameters are named `name.0.weight`, `name.0.bias`, `name.1.weight`, ...
   */
  constructor(name: string, inFeatures: number, widths: readonly number[], rng: Rng, options: MlpOptions = {}) {
    if (widths.length === 0) throw new RangeError(`Mlp "${name}": expected at least one layer width, got []`);
    const layers: DenseLayer[] = [];
    let width = inFeatures;
    widths.forEach((next, l) => {
      layers.push(new Linear(`${name}.${l}`, width, next, rng));
      if (l < widths.length - 1 || options.finalActivation) layers.push(new ReLU(next));
      width = next;
    });
    this.layers = layers;
    this.inFeatures = inFeatures;
    this.outFeatures = width;
  }

  forward(input: Float32Array, rows: number): Float32Array {
    let x = input;
    for (const layer of this.layers) x = layer.forward(x, rows);
    return x;
  }

  backward(gradOutput: Float32Array): Float32Array {
    let grad = gradOutput;
    for (let l = this.layers.length - 1; l >= 0; l--) grad = this.layers[l].backward(grad);
    return grad;
  }

  parameters(): Parameter[] {
    return this.layers.flatMap((layer) => layer.parameters());
  }

  /** Every layer's; a ReLU's output and the next layer's input are the same array (count it once: see distinctBytes). */
  savedForBackward(): ArrayBufferView[] {
    return this.layers.flatMap((layer) => layer.savedForBackward());
  }
}
