/**
 * GEMM throughput, TypeScript against WebAssembly SIMD, on the shapes of the sequence-heavy
 * model's products (config (b)): `node bench/dist/train.js --gemm` adds it to the train benchmark.
 */
import { Rng } from '@recd/core';
import { gemmTs, gemmWasm, wasmAvailable } from '@recd/dlrm';
import { type BenchTable, Measurement, interleave, stats } from './harness';

interface GemmShape {
  label: string;
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
}

/** The model's products: a linear layer's forward (A B^T), its input gradient (A B), its weight gradient (A^T B). */
const GEMM_SHAPES: readonly GemmShape[] = [
  { label: 'A B^T 1024x64x64 (bottom/encoder projection)', transA: false, transB: true, m: 1024, n: 64, k: 64 },
  { label: 'A B^T 1024x256x119 (top MLP, first layer)', transA: false, transB: true, m: 1024, n: 256, k: 119 },
  { label: 'A B^T 51200x64x64 (attention scores projection, KJT)', transA: false, transB: true, m: 51200, n: 64, k: 64 },
  { label: 'A B 51200x64x64 (its input gradient)', transA: false, transB: false, m: 51200, n: 64, k: 64 },
  { label: 'A^T B 64x64x51200 (its weight gradient)', transA: true, transB: false, m: 64, n: 64, k: 51200 },
];

export interface GemmRate {
  shape: string;
  ts: number;
  wasm: number;
}

/** GFLOP/s (2mnk per call) of each backend on each shape, median of `repetitions`, ordinary Float32Arrays in and out. */
export function measureGemm(repetitions: number): GemmRate[] {
  const rng = new Rng(3);
  const random = (length: number): Float32Array => Float32Array.from({ length }, () => 2 * rng.nextFloat() - 1);
  return GEMM_SHAPES.map(({ label, transA, transB, m, n, k }) => {
    const a = random(m * k);
    const b = random(k * n);
    const c = new Float32Array(m * n);
    const rate = (kernel: typeof gemmTs): number => {
      const measurement = new Measurement(label, () => kernel(transA, transB, m, n, k, a, b, c));
      interleave([measurement], { repetitions, warmupMs: 100, minRepetitionMs: 300 });
      return (2 * m * n * k) / stats(measurement.samples).median / 1e9;
    };
    return { shape: label, ts: rate(gemmTs), wasm: wasmAvailable() ? rate(gemmWasm) : NaN };
  });
}

export function gemmTable(rates: readonly GemmRate[]): BenchTable {
  return {
    caption: 'GEMM throughput, GFLOP/s (wall clock, median), ordinary Float32Arrays in and out (the wasm column includes copying them into and out of wasm memory)',
    columns: ['shape', 'TypeScript', 'WebAssembly SIMD', 'ratio'],
    rows: rates.map((row) => [row.shape, row.ts.toFixed(2), row.wasm.toFixed(2), `${(row.wasm / row.ts).toFixed(1)}x`]),
  };
}
