/**
 * The WebAssembly kernels of @recd/dlrm (AssemblyScript, f32x4 SIMD). Built into ../kernels.wasm by
 * `npm run build:wasm -w @recd/dlrm`; the memory is imported (shared, so that growing it never
 * detaches the Float32Array views JavaScript holds) and JavaScript allocates everything in it.
 */
export { gemm, KC, NC, MC } from './gemm';

/** First byte after the module's static data: JavaScript's allocator starts here. */
export function heapBase(): usize {
  return __heap_base;
}
export { attentionScores, attentionScoresBackward } from './attention';
export { addRowVector, columnSums } from './vector';
export { interactionForward, interactionBackward } from './interaction';
export { reluForward, reluBackward } from './relu';
