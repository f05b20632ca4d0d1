/**
 * The TypeScript GEMM kernel (`gemmTs`), the backend used when WebAssembly is off or missing
 * (see gemm.ts for the dispatch). Single-precision matrix multiply on row-major Float32Arrays:
 *
 *     C[m x n] = op(A)[m x k] · op(B)[k x n]          (accumulate = false)
 *     C[m x n] = C + op(A) · op(B)                     (accumulate = true)
 *
 * where op(A) is A ([m x k]) or A^T (A stored [k x m]), and op(B) is B ([k x n]) or B^T (B stored
 * [n x k]). Cache-blocked in the GotoBLAS way: for each block of KC terms of the sum and NC columns,
 * op(B) is packed into panels of 4 columns ([k][4], contiguous); for each block of MC rows, op(A)
 * is packed into panels of 4 rows; a 4x4 register kernel then multiplies one A panel by one B
 * panel, summing in double precision and rounding once per block when it stores into C. Packing
 * turns the three layouts (A B, A B^T, A^T B) into the same kernel and makes every load in the
 * inner loop sequential. The packing buffers are allocated once per process and only grow.
 */

/** Terms of the sum per block (a 4 x KC panel is 4 KB: it stays in L1). */
const KC = 256;
/** Rows of A per block (MC x KC floats, 96 KB, stay in L2). */
const MC = 96;
/** Columns of B per block (NC x KC floats, 256 KB). */
const NC = 256;

const packedA = new Float32Array(MC * KC);
const packedB = new Float32Array(NC * KC);
const edgeTile = new Float64Array(16);

/**
 * C = op(A) op(B), or C += op(A) op(B) when `accumulate`. Arrays may be longer than needed (views
 * of reused buffers); only the leading `m*k`, `k*n` and `m*n` entries are read or written.
 */
export function gemmTs(
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
  if (k === 0) {
    if (!accumulate) c.fill(0, 0, m * n);
    return;
  }
  // op(A)[i, p] = a[i * aRowStep + p * aSumStep]; op(B)[p, j] = b[p * bSumStep + j * bColStep]
  const aRowStep = transA ? 1 : k;
  const aSumStep = transA ? m : 1;
  const bSumStep = transB ? 1 : n;
  const bColStep = transB ? k : 1;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc);
      const add = accumulate || pc > 0;
      packPanels(b, jc, nc, bColStep, pc, kc, bSumStep, packedB);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        packPanels(a, ic, mc, aRowStep, pc, kc, aSumStep, packedA);
        macroKernel(mc, nc, kc, ic, jc, n, c, add);
      }
    }
  }
}

/**
 * Packs `count` lines (rows of op(A) or columns of op(B)) starting at `first`, terms `p0 .. p0+kc`,
 * into panels of 4 lines: panel q holds, for each term p, the 4 lines' values side by side.
 * Lines past `count` in the last panel are zero.
 */
function packPanels(
  src: Float32Array,
  first: number,
  count: number,
  lineStep: number,
  p0: number,
  kc: number,
  sumStep: number,
  dst: Float32Array,
): void {
  let out = 0;
  for (let line = 0; line < count; line += 4) {
    const lines = Math.min(4, count - line);
    const base0 = (first + line) * lineStep + p0 * sumStep;
    if (lines === 4) {
      const base1 = base0 + lineStep;
      const base2 = base1 + lineStep;
      const base3 = base2 + lineStep;
      for (let p = 0, at = 0; p < kc; p++, at += sumStep, out += 4) {
        dst[out] = src[base0 + at];
        dst[out + 1] = src[base1 + at];
        dst[out + 2] = src[base2 + at];
        dst[out + 3] = src[base3 + at];
      }
    } else {
      for (let p = 0, at = 0; p < kc; p++, at += sumStep, out += 4) {
        for (let q = 0; q < 4; q++) dst[out + q] = q < lines ? src[base0 + q * lineStep + at] : 0;
      }
    }
  }
}

/** Multiplies the packed [mc x kc] A block by the packed [kc x nc] B block into C at (ic, jc). */
function macroKernel(mc: number, nc: number, kc: number, ic: number, jc: number, ldc: number, c: Float32Array, add: boolean): void {
  for (let j = 0; j < nc; j += 4) {
    const bPanel = j * kc;
    const cols = Math.min(4, nc - j);
    for (let i = 0; i < mc; i += 4) {
      const rows = Math.min(4, mc - i);
      const cAt = (ic + i) * ldc + jc + j;
      if (rows === 4 && cols === 4) microKernel(kc, i * kc, bPanel, c, cAt, ldc, add);
      else edgeKernel(kc, i * kc, bPanel, c, cAt, ldc, add, rows, cols);
    }
  }
}

/** One 4x4 tile of C from a 4-row A panel and a 4-column B panel, sums in 16 double registers. */
function microKernel(kc: number, aAt: number, bAt: number, c: Float32Array, cAt: number, ldc: number, add: boolean): void {
  const a = packedA;
  const b = packedB;
  let s00 = 0, s01 = 0, s02 = 0, s03 = 0;
  let s10 = 0, s11 = 0, s12 = 0, s13 = 0;
  let s20 = 0, s21 = 0, s22 = 0, s23 = 0;
  let s30 = 0, s31 = 0, s32 = 0, s33 = 0;
  for (let p = 0, pa = aAt, pb = bAt; p < kc; p++, pa += 4, pb += 4) {
    const x0 = a[pa], x1 = a[pa + 1], x2 = a[pa + 2], x3 = a[pa + 3];
    let y = b[pb];
    s00 += x0 * y; s10 += x1 * y; s20 += x2 * y; s30 += x3 * y;
    y = b[pb + 1];
    s01 += x0 * y; s11 += x1 * y; s21 += x2 * y; s31 += x3 * y;
    y = b[pb + 2];
    s02 += x0 * y; s12 += x1 * y; s22 += x2 * y; s32 += x3 * y;
    y = b[pb + 3];
    s03 += x0 * y; s13 += x1 * y; s23 += x2 * y; s33 += x3 * y;
  }
  let o = cAt;
  if (add) {
    c[o] += s00; c[o + 1] += s01; c[o + 2] += s02; c[o + 3] += s03; o += ldc;
    c[o] += s10; c[o + 1] += s11; c[o + 2] += s12; c[o + 3] += s13; o += ldc;
    c[o] += s20; c[o + 1] += s21; c[o + 2] += s22; c[o + 3] += s23; o += ldc;
    c[o] += s30; c[o + 1] += s31; c[o + 2] += s32; c[o + 3] += s33;
  } else {
    c[o] = s00; c[o + 1] = s01; c[o + 2] = s02; c[o + 3] = s03; o += ldc;
    c[o] = s10; c[o + 1] = s11; c[o + 2] = s12; c[o + 3] = s13; o += ldc;
    c[o] = s20; c[o + 1] = s21; c[o + 2] = s22; c[o + 3] = s23; o += ldc;
    c[o] = s30; c[o + 1] = s31; c[o + 2] = s32; c[o + 3] = s33;
  }
}

/** A partial tile at the bottom or right edge of C: only `rows x cols` entries are stored. */
function edgeKernel(kc: number, aAt: number, bAt: number, c: Float32Array, cAt: number, ldc: number, add: boolean, rows: number, cols: number): void {
  const a = packedA;
  const b = packedB;
  const tile = edgeTile;
  tile.fill(0);
  for (let p = 0, pa = aAt, pb = bAt; p < kc; p++, pa += 4, pb += 4) {
    for (let r = 0; r < rows; r++) {
      const x = a[pa + r];
      for (let q = 0; q < cols; q++) tile[r * 4 + q] += x * b[pb + q];
    }
  }
  for (let r = 0; r < rows; r++) {
    const o = cAt + r * ldc;
    for (let q = 0; q < cols; q++) c[o + q] = add ? c[o + q] + tile[r * 4 + q] : tile[r * 4 + q];
  }
}
