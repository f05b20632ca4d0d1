/**
 * Arrays allocated where the current backend's kernels want them: in the WebAssembly heap for
 * 'wasm' (so kernels read and write them in place, no copies), as ordinary typed arrays for 'ts'.
 * A layer keeps one workspace per backend and picks the one of the backend in force at its
 * forward; `ActivationBuffer` does that choice per call for a single array (a layer's output or
 * input gradient, which the next layer's kernels then use in place).
 */
import { requireWasmMath } from '../wasm/gemm-wasm';
import { HeapFloat32Buffer, HeapInt32Buffer } from '../wasm/wasm-heap';
import { type GemmBackend, gemmBackend } from './backend';
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

/** A reused array in the current backend's place: `view(length)` as `Float32Buffer.view`. */
export class ActivationBuffer implements FloatBuffer {
  #plain: FloatBuffer | undefined;
  #heap: FloatBuffer | undefined;

  view(length: number): Float32Array {
    return this.#current().view(length);
  }

  zeroed(length: number): Float32Array {
    return this.#current().zeroed(length);
  }

  #current(): FloatBuffer {
    return gemmBackend() === 'wasm' ? (this.#heap ??= floatBuffer('wasm')) : (this.#plain ??= floatBuffer('ts'));
  }
}
