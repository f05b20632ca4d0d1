/**
 * Which kernels run the model's math: 'wasm' (WebAssembly f32x4 SIMD, wasm/assembly/) or 'ts'
 * (plain TypeScript). Both compute the same function up to the order of float32 sums.
 *
 * The default is 'wasm' when it loads here, else 'ts'; the environment variable RECD_GEMM=ts
 * (or =wasm, =auto) sets the default for the process, and `setGemmBackend` changes it at run time.
 * The choice is per process: every model and `gemm` call uses the current backend.
 */
import { wasmAvailable } from '../wasm/gemm-wasm';

export type GemmBackend = 'ts' | 'wasm';
export type GemmBackendChoice = GemmBackend | 'auto';

let current: GemmBackend | undefined;

/** The backend in use (resolved from RECD_GEMM on the first call). */
export function gemmBackend(): GemmBackend {
  return (current ??= resolve(parseChoice(process.env.RECD_GEMM, 'RECD_GEMM')));
}

/** Selects the backend; 'auto' picks 'wasm' when available. Throws when 'wasm' cannot run here. */
export function setGemmBackend(choice: GemmBackendChoice): GemmBackend {
  current = resolve(parseChoice(choice, 'setGemmBackend'));
  return current;
}

function parseChoice(value: string | undefined, source: string): GemmBackendChoice {
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'ts' || value === 'wasm') return value;
  throw new RangeError(`${source}: expected 'ts', 'wasm' or 'auto', got ${JSON.stringify(value)}`);
}

function resolve(choice: GemmBackendChoice): GemmBackend {
  if (choice === 'ts') return 'ts';
  if (wasmAvailable()) return 'wasm';
  if (choice === 'wasm') throw new Error('the WebAssembly kernels cannot run in this runtime; use the TypeScript backend (RECD_GEMM=ts)');
  return 'ts';
}
