/** ReLU (model/relu.ts) on WebAssembly, for arrays that all lie in the kernels' heap. */
import { requireWasmMath } from './gemm-wasm';

/** Whether every array is a view into the kernels' heap (then the kernels can take them in place). */
export function allInHeap(...arrays: readonly Float32Array[]): boolean {
  const heap = requireWasmMath().heap;
  return arrays.every((array) => heap.contains(array));
}

/** output[0 .. n) = max(input, 0). */
export function reluForwardWasm(n: number, input: Float32Array, output: Float32Array): void {
  requireWasmMath().kernels.reluForward(n, input.byteOffset, output.byteOffset);
}

/** gradInput[0 .. n) = gradOutput * [output > 0]. */
export function reluBackwardWasm(n: number, output: Float32Array, gradOutput: Float32Array, gradInput: Float32Array): void {
  requireWasmMath().kernels.reluBackward(n, output.byteOffset, gradOutput.byteOffset, gradInput.byteOffset);
}
