/**
 * Single-precision GEMM on row-major matrices in linear memory, f32x4 SIMD:
 *
 *     C[m x n] = op(A)[m x k] op(B)[k x n]        (+ C when `accumulate`)
 *
 * op(A) is A ([m x k]) or A^T (A stored [k x m]); op(B) is B ([k x n]) or B^T (B stored [n x k]).
 * Blocked in the GotoBLAS way, NC columns x KC terms of op(B) at a time, packed into panels of 8
 * columns ([kc][8], zero-padded at the right edge) so that the inner loop reads B sequentially.
 * A is packed too, MC rows x KC terms at a time into panels of 4 rows ([kc][4]), when op(B) has
 * at least PACK_A_COLUMNS columns: then the copy is shared by that many micro-kernels, and each
 * of them reads A through one pointer that advances 16 bytes a term (fewer integer instructions
 * per term than 4 strided row pointers). With fewer columns A is read in place by broadcast loads
 * at a fixed stride, which saves a pass over the (tall) activations.
 * The 4x8 micro-kernel keeps the tile of C in 8 f32x4 registers (2 per row) and sums in float32;
 * each KC block is added into C once. 4x8 is the largest tile that fits V8's 15 usable xmm
 * registers (8 accumulators, 2 B vectors, 4 broadcasts, 1 product); 5x8 and 6x8 spilled and ran
 * slower, and so did unrolling the term loop.
 *
 * Pointers are byte addresses; `pack` is scratch for KC * (NC + MC) floats (B's panels, then A's).
 */

/** Terms of the sum per block: a packed 8-column panel is 8 KB and stays in L1. */
export const KC: i32 = 256;
/** Columns per block of op(B) (a packed block is at most KC * NC * 4 = 256 KB). */
export const NC: i32 = 256;
/** Rows per block of A: the micro-kernels of one block reuse its MC x KC values from L2. */
export const MC: i32 = 64;
/** Pack A when op(B) has at least this many columns (4 micro-kernel panels share the copy). */
const PACK_A_COLUMNS: i32 = 32;

/** A partial tile at the bottom or right edge of C goes through here (4 rows x 8 floats). */
const edgeTile: usize = memory.data(4 * 8 * 4, 16);

export function gemm(
  transA: bool, transB: bool, m: i32, n: i32, k: i32,
  a: usize, b: usize, c: usize, accumulate: bool, pack: usize,
): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) memory.fill(c, 0, <usize>m * <usize>n * 4);
    return;
  }
  // op(A)[i, p] at a + 4 (i * aRow + p * aSum); op(B)[p, j] at b + 4 (p * bSum + j * bCol)
  const aRow: usize = transA ? 1 : <usize>k;
  const aSum: usize = transA ? <usize>m : 1;
  const packedA = pack + <usize>(KC * NC) * 4;
  const ldc = <usize>n * 4;
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const add = accumulate || pc > 0;
      if (transB) packTransposedB(b, k, jc, nc, pc, kc, pack);
      else packB(b, n, jc, nc, pc, kc, pack);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic);
        if (nc >= PACK_A_COLUMNS) {
          if (transA) packTransposedA(a, m, ic, mc, pc, kc, packedA);
          else packA(a, k, ic, mc, pc, kc, packedA);
          for (let jr = 0; jr < nc; jr += 8) {
            const cols = min(8, nc - jr);
            const panel = pack + <usize>(jr * kc) * 4;
            for (let ir = 0; ir < mc; ir += 4) {
              const cAt = c + <usize>(ic + ir) * ldc + <usize>(jc + jr) * 4;
              packedKernel(kc, packedA + <usize>(ir * kc) * 4, panel, cAt, ldc, min(4, mc - ir), cols, add);
            }
          }
          continue;
        }
        for (let jr = 0; jr < nc; jr += 8) {
          const cols = min(8, nc - jr);
          const panel = pack + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += 4) {
            const rows = min(4, mc - ir);
            const i = ic + ir;
            const aAt = a + (<usize>i * aRow + <usize>pc * aSum) * 4;
            const cAt = c + (<usize>i * <usize>n + <usize>(jc + jr)) * 4;
            microKernel(kc, aAt, aRow * 4, aSum * 4, rows, panel, cAt, <usize>n * 4, cols, add);
          }
        }
      }
    }
  }
}

/** Packs op(B) = B ([k x n] row-major): each panel row is 8 consecutive floats of a row of B. */
function packB(b: usize, n: i32, jc: i32, nc: i32, pc: i32, kc: i32, pack: usize): void {
  let out = pack;
  for (let jr = 0; jr < nc; jr += 8) {
    const cols = min(8, nc - jr);
    let src = b + (<usize>pc * <usize>n + <usize>(jc + jr)) * 4;
    const step = <usize>n * 4;
    if (cols === 8) {
      for (let p = 0; p < kc; p++, src += step, out += 32) {
        v128.store(out, v128.load(src));
        v128.store(out, v128.load(src, 16), 16);
      }
    } else {
      for (let p = 0; p < kc; p++, src += step, out += 32) {
        for (let q = 0; q < 8; q++) store<f32>(out + <usize>q * 4, q < cols ? load<f32>(src + <usize>q * 4) : 0);
      }
    }
  }
}

/** Packs op(B) = B^T (B stored [n x k]): column j of op(B) is row j of B, read at stride 1. */
function packTransposedB(b: usize, k: i32, jc: i32, nc: i32, pc: i32, kc: i32, pack: usize): void {
  let out = pack;
  const rowStep = <usize>k * 4;
  for (let jr = 0; jr < nc; jr += 8) {
    const cols = min(8, nc - jr);
    const first = b + (<usize>(jc + jr) * <usize>k + <usize>pc) * 4;
    if (cols === 8) {
      for (let p = 0; p < kc; p++, out += 32) {
        const src = first + <usize>p * 4;
        store<f32>(out, load<f32>(src));
        store<f32>(out, load<f32>(src + rowStep), 4);
        store<f32>(out, load<f32>(src + 2 * rowStep), 8);
        store<f32>(out, load<f32>(src + 3 * rowStep), 12);
        store<f32>(out, load<f32>(src + 4 * rowStep), 16);
        store<f32>(out, load<f32>(src + 5 * rowStep), 20);
        store<f32>(out, load<f32>(src + 6 * rowStep), 24);
        store<f32>(out, load<f32>(src + 7 * rowStep), 28);
      }
    } else {
      for (let p = 0; p < kc; p++, out += 32) {
        const src = first + <usize>p * 4;
        for (let q = 0; q < 8; q++) store<f32>(out + <usize>q * 4, q < cols ? load<f32>(src + <usize>q * rowStep) : 0);
      }
    }
  }
}

/** Packs rows ic .. ic+mc of op(A) = A ([m x k]) into 4-row panels, a 4x4 transpose per 4 terms. */
function packA(a: usize, k: i32, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  const rowBytes = <usize>k * 4;
  let out = dst;
  for (let ir = 0; ir < mc; ir += 4) {
    const rows = min(4, mc - ir);
    const s0 = a + <usize>(ic + ir) * rowBytes + <usize>pc * 4;
    if (rows === 4) {
      const s1 = s0 + rowBytes, s2 = s1 + rowBytes, s3 = s2 + rowBytes;
      let p = 0;
      for (; p + 4 <= kc; p += 4, out += 64) {
        const at = <usize>p * 4;
        const r0 = v128.load(s0 + at), r1 = v128.load(s1 + at), r2 = v128.load(s2 + at), r3 = v128.load(s3 + at);
        const t0 = v128.shuffle<u32>(r0, r1, 0, 4, 1, 5); // a0 b0 a1 b1
        const t1 = v128.shuffle<u32>(r2, r3, 0, 4, 1, 5); // c0 d0 c1 d1
        const t2 = v128.shuffle<u32>(r0, r1, 2, 6, 3, 7); // a2 b2 a3 b3
        const t3 = v128.shuffle<u32>(r2, r3, 2, 6, 3, 7); // c2 d2 c3 d3
        v128.store(out, v128.shuffle<u64>(t0, t1, 0, 2));
        v128.store(out, v128.shuffle<u64>(t0, t1, 1, 3), 16);
        v128.store(out, v128.shuffle<u64>(t2, t3, 0, 2), 32);
        v128.store(out, v128.shuffle<u64>(t2, t3, 1, 3), 48);
      }
      for (; p < kc; p++, out += 16) {
        const at = <usize>p * 4;
        store<f32>(out, load<f32>(s0 + at));
        store<f32>(out, load<f32>(s1 + at), 4);
        store<f32>(out, load<f32>(s2 + at), 8);
        store<f32>(out, load<f32>(s3 + at), 12);
      }
    } else {
      for (let p = 0; p < kc; p++, out += 16) {
        for (let r = 0; r < 4; r++) store<f32>(out + <usize>r * 4, r < rows ? load<f32>(s0 + <usize>r * rowBytes + <usize>p * 4) : 0);
      }
    }
  }
}

/** Packs rows ic .. ic+mc of op(A) = A^T (A stored [k x m]): a term's 4 values are consecutive in A. */
function packTransposedA(a: usize, m: i32, ic: i32, mc: i32, pc: i32, kc: i32, dst: usize): void {
  const termBytes = <usize>m * 4;
  let out = dst;
  for (let ir = 0; ir < mc; ir += 4) {
    const rows = min(4, mc - ir);
    let src = a + <usize>pc * termBytes + <usize>(ic + ir) * 4;
    if (rows === 4) {
      for (let p = 0; p < kc; p++, src += termBytes, out += 16) v128.store(out, v128.load(src));
    } else {
      for (let p = 0; p < kc; p++, src += termBytes, out += 16) {
        for (let r = 0; r < 4; r++) store<f32>(out + <usize>r * 4, r < rows ? load<f32>(src + <usize>r * 4) : 0);
      }
    }
  }
}

/** One 4x8 tile from a packed 4-row A panel (`ap`, 16 bytes a term) and a packed B panel. */
// @ts-ignore: decorator
@inline
function packedKernel(kc: i32, ap: usize, bp: usize, cAt: usize, ldc: usize, rows: i32, cols: i32, add: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = bp + <usize>kc * 32;
  while (bp < end) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(x, b0));
    c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(x, b0));
    c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(x, b0));
    c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(x, b0));
    c31 = f32x4.add(c31, f32x4.mul(x, b1));
    ap += 16;
    bp += 32;
  }
  storeTile(c00, c01, c10, c11, c20, c21, c30, c31, cAt, ldc, rows, cols, add);
}

/**
 * One 4x8 tile: C[0..rows, 0..cols] (+)= A rows (at `aAt`, `rowStep` bytes apart, terms
 * `sumStep` bytes apart) times the packed panel. Missing rows re-read row 0 and are not stored.
 */
// @ts-ignore: decorator
@inline
function microKernel(
  kc: i32, aAt: usize, rowStep: usize, sumStep: usize, rows: i32,
  panel: usize, cAt: usize, ldc: usize, cols: i32, add: bool,
): void {
  let a0 = aAt;
  let a1 = rows > 1 ? aAt + rowStep : aAt;
  let a2 = rows > 2 ? aAt + 2 * rowStep : aAt;
  let a3 = rows > 3 ? aAt + 3 * rowStep : aAt;
  let bp = panel;
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let x = v128.load32_splat(a0);
    c00 = f32x4.add(c00, f32x4.mul(x, b0));
    c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a1);
    c10 = f32x4.add(c10, f32x4.mul(x, b0));
    c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(a2);
    c20 = f32x4.add(c20, f32x4.mul(x, b0));
    c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(a3);
    c30 = f32x4.add(c30, f32x4.mul(x, b0));
    c31 = f32x4.add(c31, f32x4.mul(x, b1));
    a0 += sumStep; a1 += sumStep; a2 += sumStep; a3 += sumStep;
    bp += 32;
  }
  storeTile(c00, c01, c10, c11, c20, c21, c30, c31, cAt, ldc, rows, cols, add);
}

/** Stores (or adds) the accumulated 4x8 tile into C; a partial tile goes through `edgeTile`. */
// @ts-ignore: decorator
@inline
function storeTile(
  c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128,
  cAt: usize, ldc: usize, rows: i32, cols: i32, add: bool,
): void {
  if (rows === 4 && cols === 8) {
    let o = cAt;
    if (add) {
      v128.store(o, f32x4.add(v128.load(o), c00)); v128.store(o, f32x4.add(v128.load(o, 16), c01), 16); o += ldc;
      v128.store(o, f32x4.add(v128.load(o), c10)); v128.store(o, f32x4.add(v128.load(o, 16), c11), 16); o += ldc;
      v128.store(o, f32x4.add(v128.load(o), c20)); v128.store(o, f32x4.add(v128.load(o, 16), c21), 16); o += ldc;
      v128.store(o, f32x4.add(v128.load(o), c30)); v128.store(o, f32x4.add(v128.load(o, 16), c31), 16);
    } else {
      v128.store(o, c00); v128.store(o, c01, 16); o += ldc;
      v128.store(o, c10); v128.store(o, c11, 16); o += ldc;
      v128.store(o, c20); v128.store(o, c21, 16); o += ldc;
      v128.store(o, c30); v128.store(o, c31, 16);
    }
    return;
  }
  const t = edgeTile;
  v128.store(t, c00); v128.store(t, c01, 16);
  v128.store(t, c10, 32); v128.store(t, c11, 48);
  v128.store(t, c20, 64); v128.store(t, c21, 80);
  v128.store(t, c30, 96); v128.store(t, c31, 112);
  for (let r = 0; r < rows; r++) {
    const o = cAt + <usize>r * ldc;
    const from = t + <usize>r * 32;
    for (let q = 0; q < cols; q++) {
      const at = o + <usize>q * 4;
      const value = load<f32>(from + <usize>q * 4);
      store<f32>(at, add ? load<f32>(at) + value : value);
    }
  }
}
