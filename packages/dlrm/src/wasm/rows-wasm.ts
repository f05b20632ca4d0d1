/** Row-vector kernels (model/rows.ts) on WebAssembly, for matrices in the kernels' heap. */
import { requireWasmMath } from './gemm-wasm';

/** values [rows x bias.length] += bias on every row; `values` must be in the heap. */
export function addRowVectorWasm(values: Float32Array, rows: number, bias: Float32Array): void {
  const wasm = requireWasmMath();
  const row = wasm.scratchRow.view(bias.length);
  row.set(bias);
  wasm.kernels.addRowVector(rows, bias.length, values.byteOffset, row.byteOffset);
}

/** out[j] = sum over rows of values[r, j]; `values` must be in the heap. */
export function columnSumsWasm(values: Float32Array, rows: number, width: number, out: Float32Array): void {
  const wasm = requireWasmMath();
  const row = wasm.scratchRow.view(width);
  wasm.kernels.columnSums(rows, width, values.byteOffset, row.byteOffset);
  out.set(row);
}
