/**
 * Allocation in the kernels' linear memory. Regions are 64-byte aligned; freed regions go to a
 * sorted free list (merged with their neighbours) and are reused first-fit; the memory grows when
 * nothing fits. Because the memory is shared, growth never invalidates a view handed out earlier.
 *
 * `HeapFloat32Buffer` is the heap twin of `Float32Buffer`: a growable array whose region is
 * returned to the heap when the buffer is garbage-collected. Every view it hands out keeps the
 * buffer alive (a WeakMap from view to buffer), so a view a layer returns stays valid, like an
 * ordinary buffer's view, until the layer's next call, even if the layer itself is dropped.
 */
import type { Kernels, WasmMemory } from './kernels';

const ALIGN = 64;
const PAGE = 65536;

interface FreeRegion {
  at: number;
  bytes: number;
}

export class WasmHeap {
  readonly memory: WasmMemory;
  /** Every ArrayBuffer the memory has had (a new object after each growth, same bytes). */
  readonly #buffers = new WeakSet<ArrayBufferLike>();
  readonly #free: FreeRegion[] = [];
  readonly #release = new FinalizationRegistry<{ at: number; bytes: number }>((region) => this.free(region.at, region.bytes));
  #top: number;
  #buffer: ArrayBufferLike;

  constructor(kernels: Kernels) {
    this.memory = kernels.memory;
    this.#top = alignUp(kernels.exports.heapBase());
    this.#buffer = this.memory.buffer;
    this.#buffers.add(this.#buffer);
  }

  /** The start of `bytes` bytes (rounded up to 64) that no one else uses until `free`. */
  alloc(bytes: number): number {
    const size = Math.max(ALIGN, alignUp(bytes));
    const free = this.#free;
    for (let i = 0; i < free.length; i++) {
      const region = free[i];
      if (region.bytes < size) continue;
      const at = region.at;
      if (region.bytes === size) free.splice(i, 1);
      else {
        region.at += size;
        region.bytes -= size;
      }
      return at;
    }
    const at = this.#top;
    const end = at + size;
    const available = this.memory.buffer.byteLength;
    if (end > available) {
      const pages = Math.ceil((end - available) / PAGE);
      try {
        this.memory.grow(Math.max(pages, Math.ceil(available / PAGE / 4)));
      } catch {
        try {
          this.memory.grow(pages);
        } catch {
          throw new RangeError(`wasm heap: cannot grow to ${end} bytes (the limit is 4 GiB); set RECD_GEMM=ts to use the TypeScript kernels`);
        }
      }
    }
    this.#top = end;
    return at;
  }

  free(at: number, bytes: number): void {
    const size = Math.max(ALIGN, alignUp(bytes));
    const free = this.#free;
    let i = 0;
    while (i < free.length && free[i].at < at) i++;
    free.splice(i, 0, { at, bytes: size });
    if (i + 1 < free.length && free[i].at + free[i].bytes === free[i + 1].at) {
      free[i].bytes += free[i + 1].bytes;
      free.splice(i + 1, 1);
    }
    if (i > 0 && free[i - 1].at + free[i - 1].bytes === free[i].at) {
      free[i - 1].bytes += free[i].bytes;
      free.splice(i, 1);
    }
  }

  /** A Float32Array over `length` floats at byte `at` (valid as long as the region is). */
  floats(at: number, length: number): Float32Array {
    return new Float32Array(this.#current(), at, length);
  }

  ints(at: number, length: number): Int32Array {
    return new Int32Array(this.#current(), at, length);
  }

  /** Whether `array` is a view into this heap (then its byteOffset is its address). */
  contains(array: ArrayBufferView): boolean {
    return this.#buffers.has(array.buffer);
  }

  /** Frees the region when `owner` is garbage-collected, unless `forget(token)` came first. */
  freeWith(owner: object, at: number, bytes: number, token: object): void {
    this.#release.register(owner, { at, bytes }, token);
  }

  forget(token: object): void {
    this.#release.unregister(token);
  }

  #current(): ArrayBufferLike {
    const buffer = this.memory.buffer;
    if (buffer !== this.#buffer) {
      this.#buffer = buffer;
      this.#buffers.add(buffer);
    }
    return buffer;
  }
}

function alignUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}

/**
 * A growable typed array in the heap: `view(length)` returns `length` entries, moving to a larger
 * region (contents not kept) only when `length` exceeds every length asked for before. The region
 * goes back to the heap on growth, or when the buffer is garbage-collected.
 */
/** View -> the buffer it belongs to: the region is not freed while one of its views is reachable. */
const owners = new WeakMap<ArrayBufferView, object>();

abstract class HeapArray<T extends Float32Array | Int32Array> {
  readonly #heap: WasmHeap;
  #token: object = {};
  #at = 0;
  #capacity = 0;
  #data: T;

  constructor(heap: WasmHeap, empty: T) {
    this.#heap = heap;
    this.#data = empty;
  }

  view(length: number): T {
    // even an empty view lies in the heap, so that kernels can take its address
    if (length > this.#capacity || this.#capacity === 0) this.#grow(Math.max(length, 16));
    const view = this.#data.subarray(0, length) as T;
    owners.set(view, this);
    return view;
  }

  zeroed(length: number): T {
    const view = this.view(length);
    view.fill(0);
    return view;
  }

  protected abstract over(heap: WasmHeap, at: number, length: number): T;

  #grow(length: number): void {
    const capacity = Math.max(length, Math.ceil(this.#capacity * 1.5));
    if (this.#capacity > 0) {
      this.#heap.forget(this.#token);
      this.#heap.free(this.#at, this.#capacity * 4);
    }
    this.#at = this.#heap.alloc(capacity * 4);
    this.#capacity = capacity;
    this.#data = this.over(this.#heap, this.#at, capacity);
    this.#token = {};
    this.#heap.freeWith(this, this.#at, capacity * 4, this.#token);
  }
}

export class HeapFloat32Buffer extends HeapArray<Float32Array> {
  constructor(heap: WasmHeap) {
    super(heap, new Float32Array(0));
  }

  protected over(heap: WasmHeap, at: number, length: number): Float32Array {
    return heap.floats(at, length);
  }
}

export class HeapInt32Buffer extends HeapArray<Int32Array> {
  constructor(heap: WasmHeap) {
    super(heap, new Int32Array(0));
  }

  protected over(heap: WasmHeap, at: number, length: number): Int32Array {
    return heap.ints(at, length);
  }
}
