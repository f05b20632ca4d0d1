/**
 * Reused buffers. Every layer keeps its outputs and gradients in buffers that live across steps and
 * are replaced only when a batch needs more room than any batch before it; callers get a view of
 * exactly the length they asked for.
 */

/** `buffer` if it holds at least `length` entries, otherwise a new one with room to grow. */
export function ensureFloat32(buffer: Float32Array, length: number): Float32Array {
  return buffer.length >= length ? buffer : new Float32Array(grownLength(buffer.length, length));
}

export function ensureInt32(buffer: Int32Array, length: number): Int32Array {
  return buffer.length >= length ? buffer : new Int32Array(grownLength(buffer.length, length));
}

/** At least `needed`, and at least 1.5 times the old size so a slowly growing batch reallocates rarely. */
function grownLength(current: number, needed: number): number {
  return Math.max(needed, Math.ceil(current * 1.5));
}

/**
 * A growable Float32Array: `view(length)` returns the first `length` entries, reallocating only
 * when `length` exceeds every length asked for before. Contents are not kept across growth.
 */
export class Float32Buffer {
  #data: Float32Array = new Float32Array(0);

  view(length: number): Float32Array {
    this.#data = ensureFloat32(this.#data, length);
    return this.#data.subarray(0, length);
  }

  /** Like `view`, zero-filled. */
  zeroed(length: number): Float32Array {
    const view = this.view(length);
    view.fill(0);
    return view;
  }
}

export class Int32Buffer {
  #data: Int32Array = new Int32Array(0);

  view(length: number): Int32Array {
    this.#data = ensureInt32(this.#data, length);
    return this.#data.subarray(0, length);
  }
}
