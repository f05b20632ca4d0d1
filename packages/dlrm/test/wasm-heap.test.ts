import { requireWasmMath } from '../src/wasm/gemm-wasm';
import { KERNELS_PATH, type Kernels } from '../src/wasm/kernels';
import { HeapFloat32Buffer, HeapInt32Buffer, WasmHeap } from '../src/wasm/wasm-heap';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

describe('WasmHeap', () => {
  const heap = requireWasmMath().heap;

  test('a freed region is reused, and neighbours merge into one', () => {
    // a heap of its own, so that no other allocation (or garbage collection) interferes
    const wasm = (globalThis as unknown as { WebAssembly: { Memory: new (options: object) => { buffer: ArrayBufferLike } } }).WebAssembly;
    const memory = new wasm.Memory({ initial: 1, maximum: 4, shared: true });
    const own = new WasmHeap({ memory, exports: { heapBase: () => 100 } } as unknown as Kernels);
    const a = own.alloc(1000);
    const b = own.alloc(1000);
    const c = own.alloc(1000);
    expect([a, b, c]).toEqual([128, 1152, 2176]);
    own.free(b, 1000);
    own.free(a, 1000);
    // a and b merged: 2048 bytes fit where a was
    expect(own.alloc(2000)).toBe(a);
    own.free(c, 1000);
    expect(own.alloc(70000)).toBe(3200); // fits no free region: taken from the top, growing the memory
    expect(memory.buffer.byteLength).toBe(2 * 65536);
    expect(() => own.alloc(5 * 65536)).toThrow(RangeError);
  });

  test('views stay valid when the memory grows (it is shared, so never detached)', () => {
    const buffer = new HeapFloat32Buffer(heap);
    const early = buffer.view(8);
    early.set([1, 2, 3, 4, 5, 6, 7, 8]);
    const before = heap.memory.buffer.byteLength;
    const big = new HeapFloat32Buffer(heap).view((before / 4) | 0); // forces growth
    big[big.length - 1] = 42;
    expect(heap.memory.buffer.byteLength).toBeGreaterThan(before);
    expect(Array.from(early)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(heap.contains(early)).toBe(true);
    expect(heap.contains(big)).toBe(true);
    expect(heap.contains(new Float32Array(8))).toBe(false);
  });

  test('buffers grow, reuse their region below capacity, and give empty views in the heap', () => {
    const floats = new HeapFloat32Buffer(heap);
    const ints = new HeapInt32Buffer(heap);
    expect(heap.contains(floats.view(0))).toBe(true);
    const first = floats.view(100);
    expect(floats.view(50).byteOffset).toBe(first.byteOffset);
    expect(floats.zeroed(100).every((v) => v === 0)).toBe(true);
    expect(floats.view(1000).length).toBe(1000);
    expect(ints.view(5)).toBeInstanceOf(Int32Array);
  });
});

describe('kernels.wasm', () => {
  let assemblyScriptInstalled = true;
  try {
    require.resolve('assemblyscript/package.json');
  } catch {
    assemblyScriptInstalled = false;
  }

  // the committed artifact must be what `npm run build:wasm -w @recd/dlrm` makes of the sources
  (assemblyScriptInstalled ? test : test.skip)('is reproducible from wasm/assembly/ by the build:wasm script', () => {
    const out = mkdtempSync(join(tmpdir(), 'recd-kernels-'));
    try {
      const packageDir = dirname(dirname(KERNELS_PATH));
      const asc = require.resolve('assemblyscript/bin/asc.js');
      const target = join(out, 'kernels.wasm');
      execFileSync(process.execPath, [asc, 'wasm/assembly/index.ts', '--config', 'wasm/asconfig.json', '--target', 'release', '-o', target], { cwd: packageDir, stdio: 'pipe' });
      expect(Buffer.compare(readFileSync(target), readFileSync(KERNELS_PATH))).toBe(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
