/**
 * The pooled-attention kernels (model/attention-pooled.ts) on WebAssembly: the same arguments, all
 * of which must be views into the kernels' heap (the encoder allocates them there).
 */
import { requireWasmMath } from './gemm-wasm';
import type { WasmHeap } from './wasm-heap';

export function attentionPooledForwardWasm(
  sequences: number,
  dim: number,
  tokenStart: Int32Array,
  probStart: Int32Array,
  queries: Float32Array,
  x: Float32Array,
  probs: Float32Array,
  weights: Float32Array,
  attended: Float32Array,
  mean: Float32Array,
): void {
  const wasm = requireWasmMath();
  const at = addressIn(wasm.heap);
  wasm.kernels.attentionScores(sequences, dim, at(tokenStart), at(probStart), at(queries), at(x), at(probs), at(weights), at(attended), at(mean), wasm.pack);
}

export function attentionPooledBackwardWasm(
  sequences: number,
  dim: number,
  tokenStart: Int32Array,
  probStart: Int32Array,
  queries: Float32Array,
  x: Float32Array,
  probs: Float32Array,
  weights: Float32Array,
  gradAttended: Float32Array,
  gradMean: Float32Array,
  gradQueries: Float32Array,
  gradX: Float32Array,
  scratch: Float32Array,
): void {
  const wasm = requireWasmMath();
  const at = addressIn(wasm.heap);
  wasm.kernels.attentionScoresBackward(
    sequences, dim, at(tokenStart), at(probStart), at(queries), at(x), at(probs), at(weights),
    at(gradAttended), at(gradMean), at(gradQueries), at(gradX), at(scratch), wasm.pack,
  );
}

function addressIn(heap: WasmHeap): (array: Float32Array | Int32Array) => number {
  return (array) => {
    if (!heap.contains(array)) throw new Error('attention kernel: every array must be in the wasm heap (allocate it with HeapFloat32Buffer)');
    return array.byteOffset;
  };
}
