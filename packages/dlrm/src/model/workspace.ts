/**
 * Scratch arrays for a layer's internal use, allocated where the current backend's kernels want
 * them: in the WebAssembly heap for 'wasm' (so kernels read and write them in place, no copies),
 * as ordinary typed arrays for 'ts'. A layer keeps one workspace per backend and picks the one of
 * the backend in force at its forward; arrays it returns to callers stay ordinary buffers.
 */
import { requireWasmMath } from '../wasm/gemm-wasm';
import { HeapFloat32Buffer, HeapInt32Buffer } from '../wasm/wasm-heap';
import type { GemmBackend } from './backend';
import { Float32Buffer, Int32Buffer } from './buffers';

export interface FloatBuffer {
  view(length: number): Float32Array;
  zeroed(length: number): Float32Array;
}

export interface IntBuffer {
  view(length: number): Int32Array;
}

export function floatBuffer(backend: GemmBackend): FloatBuffer {
  return backend === 'wasm' ? new HeapFloat32Buffer(requireWasmMath().heap) : new Float32Buffer();
}

export function intBuffer(backend: GemmBackend): IntBuffer {
  return backend === 'wasm' ? new HeapInt32Buffer(requireWasmMath().heap) : new Int32Buffer();
}
