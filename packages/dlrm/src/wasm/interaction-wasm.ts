/**
 * The dot interaction (model/dot-interaction.ts) on WebAssembly. Its input and output stay ordinary
 * arrays: they are copied into and out of heap arrays owned by an `InteractionWasm` (a few MB per
 * batch, about a millisecond), and the copy of the input is kept for the backward pass.
 */
import { requireWasmMath } from './gemm-wasm';
import { HeapFloat32Buffer } from './wasm-heap';

export class InteractionWasm {
  readonly #stacked: HeapFloat32Buffer;
  readonly #output: HeapFloat32Buffer;
  readonly #gradStacked: HeapFloat32Buffer;
  readonly #gradOutput: HeapFloat32Buffer;

  constructor() {
    const heap = requireWasmMath().heap;
    this.#stacked = new HeapFloat32Buffer(heap);
    this.#output = new HeapFloat32Buffer(heap);
    this.#gradStacked = new HeapFloat32Buffer(heap);
    this.#gradOutput = new HeapFloat32Buffer(heap);
  }

  /** Writes the interaction of `stacked` ([batch x vectors x dim]) into `output` ([batch x width]). */
  forward(stacked: Float32Array, batch: number, vectors: number, dim: number, output: Float32Array): void {
    const input = this.#stacked.view(batch * vectors * dim);
    input.set(stacked.subarray(0, input.length));
    const out = this.#output.view(output.length);
    requireWasmMath().kernels.interactionForward(batch, vectors, dim, input.byteOffset, out.byteOffset);
    output.set(out);
  }

  /** The heap copy of the last forward's input that backward reads. */
  savedInput(batch: number, vectors: number, dim: number): Float32Array {
    return this.#stacked.view(batch * vectors * dim);
  }

  /** The gradient of the last forward's input, written into `gradStacked`. */
  backward(gradOutput: Float32Array, batch: number, vectors: number, dim: number, gradStacked: Float32Array): void {
    const input = this.#stacked.view(batch * vectors * dim);
    const width = dim + (vectors * (vectors - 1)) / 2;
    const gradOut = this.#gradOutput.view(batch * width);
    gradOut.set(gradOutput.subarray(0, batch * width));
    const grad = this.#gradStacked.view(gradStacked.length);
    requireWasmMath().kernels.interactionBackward(batch, vectors, dim, input.byteOffset, gradOut.byteOffset, grad.byteOffset);
    gradStacked.set(grad);
  }
}
