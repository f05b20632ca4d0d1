/**
 * Row-vector operations on row-major matrices, the bias steps of a linear map:
 *
 *     addRowVector:  values[r, j] += bias[j]             (forward: Y = X W^T + 1 b^T)
 *     columnSums:    out[j] = sum_r values[r, j]          (backward: db = dY^T 1)
 *
 * On the WebAssembly kernels when the backend is 'wasm' and the matrix lies in the kernels' heap
 * (a workspace array), else in TypeScript.
 */
import { gemmBackend } from './backend';
import { requireWasmMath } from '../wasm/gemm-wasm';
import { addRowVectorWasm, columnSumsWasm } from '../wasm/rows-wasm';

export function addRowVector(values: Float32Array, rows: number, bias: Float32Array): void {
  if (onWasm(values)) {
    addRowVectorWasm(values, rows, bias);
    return;
  }
  const width = bias.length;
  for (let r = 0, at = 0; r < rows; r++, at += width) {
    for (let j = 0; j < width; j++) values[at + j] += bias[j];
  }
}

export function columnSums(values: Float32Array, rows: number, width: number, out: Float32Array): void {
  if (onWasm(values)) {
    columnSumsWasm(values, rows, width, out);
    return;
  }
  out.fill(0, 0, width);
  for (let r = 0, at = 0; r < rows; r++, at += width) {
    for (let j = 0; j < width; j++) out[j] += values[at + j];
  }
}

function onWasm(values: Float32Array): boolean {
  return gemmBackend() === 'wasm' && requireWasmMath().heap.contains(values);
}
