/**
 * `gemm` on the WebAssembly SIMD kernel (wasm/assembly/gemm.ts). An operand already in the kernels'
 * heap (a view of a `HeapFloat32Buffer`) is used in place; any other Float32Array is copied into
 * scratch in the heap first (and C copied back), which costs about one pass over it.
 */
import { loadKernels, kernelLoadError, type KernelExports } from './kernels';
import { HeapFloat32Buffer, WasmHeap } from './wasm-heap';

interface WasmMath {
  readonly kernels: KernelExports;
  readonly heap: WasmHeap;
  /** Packed panels of op(B) (KC x NC floats), then of op(A) (KC x MC floats). */
  readonly pack: number;
  readonly scratchA: HeapFloat32Buffer;
  readonly scratchB: HeapFloat32Buffer;
  readonly scratchC: HeapFloat32Buffer;
  /** For short vectors (a bias, a column sum) passed to a kernel. */
  readonly scratchRow: HeapFloat32Buffer;
}

let math: WasmMath | null | undefined;

/** The heap and kernels, or undefined when WebAssembly SIMD cannot run here. */
export function wasmMath(): WasmMath | undefined {
  if (math === undefined) {
    const kernels = loadKernels();
    if (kernels === undefined) math = null;
    else {
      const heap = new WasmHeap(kernels);
      const exports = kernels.exports;
      const packFloats = (exports.KC.value as number) * ((exports.NC.value as number) + (exports.MC.value as number));
      math = {
        kernels: exports,
        heap,
        pack: heap.alloc(packFloats * 4),
        scratchA: new HeapFloat32Buffer(heap),
        scratchB: new HeapFloat32Buffer(heap),
        scratchC: new HeapFloat32Buffer(heap),
        scratchRow: new HeapFloat32Buffer(heap),
      };
    }
  }
  return math ?? undefined;
}

export function requireWasmMath(): WasmMath {
  const available = wasmMath();
  if (available === undefined) {
    throw new Error(`the WebAssembly kernels cannot run in this runtime (${String(kernelLoadError())}); use the TypeScript backend (RECD_GEMM=ts)`);
  }
  return available;
}

/** Whether the WebAssembly kernels load and run here. */
export function wasmAvailable(): boolean {
  return wasmMath() !== undefined;
}

/** C = op(A) op(B) (+ C), as `gemm`, on the WebAssembly kernel. */
export function gemmWasm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  accumulate = false,
): void {
  if (m === 0 || n === 0) return;
  checkLength('A', a, m * k);
  checkLength('B', b, k * n);
  checkLength('C', c, m * n);
  const wasm = requireWasmMath();
  const heap = wasm.heap;
  const aAt = heap.contains(a) ? a.byteOffset : copyIn(wasm.scratchA, a, m * k);
  const bAt = heap.contains(b) ? b.byteOffset : copyIn(wasm.scratchB, b, k * n);
  if (heap.contains(c)) {
    wasm.kernels.gemm(+transA, +transB, m, n, k, aAt, bAt, c.byteOffset, +accumulate, wasm.pack);
    return;
  }
  const scratch = wasm.scratchC.view(m * n);
  if (accumulate) scratch.set(c.subarray(0, m * n));
  wasm.kernels.gemm(+transA, +transB, m, n, k, aAt, bAt, scratch.byteOffset, +accumulate, wasm.pack);
  c.set(scratch);
}

function copyIn(scratch: HeapFloat32Buffer, array: Float32Array, length: number): number {
  const view = scratch.view(length);
  view.set(length === array.length ? array : array.subarray(0, length));
  return view.byteOffset;
}

function checkLength(name: string, array: Float32Array, needed: number): void {
  if (array.length < needed) throw new RangeError(`gemm: ${name} needs at least ${needed} entries, got ${array.length}`);
}
