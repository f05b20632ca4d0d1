/**
 * Linear (fully connected) layer, row-major, batch of R rows:
 *
 *     forward:   Y[R x out] = X[R x in] · W^T + 1 b^T        W is [out x in], b is [out]
 *     backward:  dW += dY^T · X     db += sum over rows of dY     dX = dY · W
 *
 * The products go through the blocked `gemm`, the bias steps through rows.ts. On the 'wasm'
 * backend the output and the input gradient lie in the kernels' heap, so the kernels work on them
 * in place (and so does the next layer, which gets them as its input).
 */
import type { Rng } from '@recd/core';
import { Parameter, parameter } from '../parameter';
import { Float32Buffer } from './buffers';
import { matmul, matmulTransA, matmulTransB } from './gemm';
import { initLinear } from './init';
import type { DenseLayer } from './layer';
import { addRowVector, columnSums } from './rows';
import { ActivationBuffer } from './workspace';

export class Linear implements DenseLayer {
  readonly inFeatures: number;
  readonly outFeatures: number;
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly #output = new ActivationBuffer();
  readonly #gradInput = new ActivationBuffer();
  readonly #biasSums = new Float32Buffer();
  #input: Float32Array = new Float32Array(0);
  #rows = 0;

  /** `name` prefixes the parameter names (`name.weight`, `name.bias`); weights drawn from `rng`. */
  constructor(name: string, inFeatures: number, outFeatures: number, rng: Rng) {
    this.inFeatures = inFeatures;
    this.outFeatures = outFeatures;
    this.weight = parameter(`${name}.weight`, [outFeatures, inFeatures]);
    this.bias = parameter(`${name}.bias`, [outFeatures]);
    initLinear(this.weight.value, this.bias.value, inFeatures, outFeatures, rng);
  }

  forward(input: Float32Array, rows: number): Float32Array {
    const out = this.outFeatures;
    const output = this.#output.view(rows * out);
    this.#input = input;
    this.#rows = rows;
    matmulTransB(rows, out, this.inFeatures, input, this.weight.value, output);
    addRowVector(output, rows, this.bias.value);
    return output;
  }

  backward(gradOutput: Float32Array): Float32Array {
    const rows = this.#rows;
    const out = this.outFeatures;
    const inF = this.inFeatures;
    matmulTransA(out, inF, rows, gradOutput, this.#input, this.weight.grad, true);
    const biasGrad = this.bias.grad;
    const sums = this.#biasSums.view(out);
    columnSums(gradOutput, rows, out, sums);
    for (let o = 0; o < out; o++) biasGrad[o] += sums[o];
    const gradInput = this.#gradInput.view(rows * inF);
    matmul(rows, inF, out, gradOutput, this.weight.value, gradInput);
    return gradInput;
  }

  parameters(): Parameter[] {
    return [this.weight, this.bias];
  }

  savedForBackward(): ArrayBufferView[] {
    return [this.#input.subarray(0, this.#rows * this.inFeatures)];
  }
}
