/**
 * DLRM's dot interaction. Each sample has n vectors of dimension d, T[0] the bottom MLP output and
 * T[1..n-1] the features'; the output is T[0] followed by the pairwise dots of the strict lower
 * triangle, row by row (pairs (1,0), (2,0), (2,1), (3,0), ...):
 *
 *     z = [ T[0],  T[a] . T[b]  for a = 1 .. n-1, b = 0 .. a-1 ]        size d + n(n-1)/2
 *
 *     backward:  dT[0] = dz[0 .. d)  +  sum over pairs of the terms below
 *                dT[a] += dz_ab T[b]        dT[b] += dz_ab T[a]
 *
 * On the 'wasm' backend both passes run in wasm/assembly/interaction.ts (SIMD dots and updates).
 */
import { InteractionWasm } from '../wasm/interaction-wasm';
import { gemmBackend } from './backend';
import { ActivationBuffer } from './workspace';

export class DotInteraction {
  readonly vectors: number;
  readonly dim: number;
  readonly outFeatures: number;
  readonly #output = new ActivationBuffer();
  readonly #gradInput = new ActivationBuffer();
  #input: Float32Array = new Float32Array(0);
  #batch = 0;
  #wasm: InteractionWasm | undefined;
  /** Whether the last forward ran on wasm (then backward does too: it holds the input). */
  #onWasm = false;

  constructor(vectors: number, dim: number) {
    this.vectors = vectors;
    this.dim = dim;
    this.outFeatures = dim + (vectors * (vectors - 1)) / 2;
  }

  /** `stacked` is `[batch x vectors x dim]`; the result is `[batch x outFeatures]`. */
  forward(stacked: Float32Array, batch: number): Float32Array {
    const n = this.vectors;
    const d = this.dim;
    const width = this.outFeatures;
    const output = this.#output.view(batch * width);
    this.#input = stacked;
    this.#batch = batch;
    this.#onWasm = gemmBackend() === 'wasm';
    if (this.#onWasm) {
      (this.#wasm ??= new InteractionWasm()).forward(stacked, batch, n, d, output);
      return output;
    }
    for (let i = 0; i < batch; i++) {
      const base = i * n * d;
      let out = i * width;
      for (let j = 0; j < d; j++) output[out++] = stacked[base + j];
      for (let a = 1; a < n; a++) {
        const rowA = base + a * d;
        for (let b = 0; b < a; b++) {
          const rowB = base + b * d;
          let dot = 0;
          for (let j = 0; j < d; j++) dot += stacked[rowA + j] * stacked[rowB + j];
          output[out++] = dot;
        }
      }
    }
    return output;
  }

  /** The stacked vectors backward reads: on wasm the kernel's heap copy of them. */
  savedForBackward(): ArrayBufferView[] {
    if (this.#onWasm && this.#wasm !== undefined) return [this.#wasm.savedInput()];
    return [this.#input.subarray(0, this.#batch * this.vectors * this.dim)];
  }

  backward(gradOutput: Float32Array): Float32Array {
    const n = this.vectors;
    const d = this.dim;
    const width = this.outFeatures;
    const stacked = this.#input;
    if (this.#onWasm && this.#wasm !== undefined) {
      const gradInput = this.#gradInput.view(this.#batch * n * d);
      this.#wasm.backward(gradOutput, this.#batch, n, d, gradInput);
      return gradInput;
    }
    const gradInput = this.#gradInput.zeroed(this.#batch * n * d);
    for (let i = 0; i < this.#batch; i++) {
      const base = i * n * d;
      let at = i * width;
      for (let j = 0; j < d; j++) gradInput[base + j] = gradOutput[at++];
      for (let a = 1; a < n; a++) {
        const rowA = base + a * d;
        for (let b = 0; b < a; b++) {
          const rowB = base + b * d;
          const g = gradOutput[at++];
          if (g === 0) continue;
          for (let j = 0; j < d; j++) {
            gradInput[rowA + j] += g * stacked[rowB + j];
            gradInput[rowB + j] += g * stacked[rowA + j];
          }
        }
      }
    }
    return gradInput;
  }
}
