/**
 * The dot interaction (model/dot-interaction.ts) on WebAssembly. Arrays already in the kernels' heap
 * (the model's: FeatureStack and the layers put their outputs there) are used in place; others are
 * copied into and out of heap arrays owned by an `InteractionWasm`. The input (in place or its
 * copy) is what the backward pass reads.
 */
import { requireWasmMath } from './gemm-wasm';
import { HeapFloat32Buffer } from './wasm-heap';

export class InteractionWasm {
  readonly #stacked: HeapFloat32Buffer;
  readonly #output: HeapFloat32Buffer;
  readonly #gradStacked: HeapFloat32Buffer;
  readonly #gradOutput: HeapFloat32Buffer;
  #input: Float32Array = new Float32Array(0);

  constructor() {
    const heap = requireWasmMath().heap;
    this.#stacked = new HeapFloat32Buffer(heap);
    this.#output = new HeapFloat32Buffer(heap);
    this.#gradStacked = new HeapFloat32Buffer(heap);
    this.#gradOutput = new HeapFloat32Buffer(heap);
  }

  /** Writes the interaction of `stacked` ([batch x vectors x dim]) into `output` ([batch x width]). */
  forward(stacked: Float32Array, batch: number, vectors: number, dim: number, output: Float32Array): void {
    const heap = requireWasmMath().heap;
    const length = batch * vectors * dim;
    let input = stacked.subarray(0, length);
    if (!heap.contains(input)) {
      input = this.#stacked.view(length);
      input.set(stacked.subarray(0, length));
    }
    this.#input = input;
    const out = heap.contains(output) ? output : this.#output.view(output.length);
    requireWasmMath().kernels.interactionForward(batch, vectors, dim, input.byteOffset, out.byteOffset);
    if (out !== output) output.set(out);
  }

  /** The last forward's input in the heap (in place or a copy): what backward reads. */
  savedInput(): Float32Array {
    return this.#input;
  }

  /** The gradient of the last forward's input, written into `gradStacked`. */
  backward(gradOutput: Float32Array, batch: number, vectors: number, dim: number, gradStacked: Float32Array): void {
    const heap = requireWasmMath().heap;
    const width = dim + (vectors * (vectors - 1)) / 2;
    let gradOut = gradOutput.subarray(0, batch * width);
    if (!heap.contains(gradOut)) {
      gradOut = this.#gradOutput.view(batch * width);
      gradOut.set(gradOutput.subarray(0, batch * width));
    }
    const grad = heap.contains(gradStacked) ? gradStacked : this.#gradStacked.view(gradStacked.length);
    requireWasmMath().kernels.interactionBackward(batch, vectors, dim, this.#input.byteOffset, gradOut.byteOffset, grad.byteOffset);
    if (grad !== gradStacked) gradStacked.set(grad);
  }
}
