/**
 * DLRM's dot interaction for a batch (the math is in src/model/dot-interaction.ts): each sample
 * has n vectors of d floats, T[0] .. T[n-1]; its output row is T[0] followed by T[a] . T[b] for
 * a = 1 .. n-1, b = 0 .. a-1 (width = d + n(n-1)/2).
 */
import { axpy, dot } from './vector';

export function interactionForward(batch: i32, vectors: i32, dim: i32, stacked: usize, out: usize): void {
  const rowBytes = <usize>dim * 4;
  const width = dim + (vectors * (vectors - 1)) / 2;
  for (let i = 0; i < batch; i++) {
    const base = stacked + <usize>i * <usize>vectors * rowBytes;
    let at = out + <usize>i * <usize>width * 4;
    memory.copy(at, base, rowBytes);
    at += rowBytes;
    for (let a = 1; a < vectors; a++) {
      const rowA = base + <usize>a * rowBytes;
      let b = 0;
      if ((dim & 3) === 0) {
        for (; b + 4 <= a; b += 4, at += 16) v128.store(at, dot4(dim, rowA, base + <usize>b * rowBytes, rowBytes));
      }
      for (; b < a; b++, at += 4) store<f32>(at, dot(dim, rowA, base + <usize>b * rowBytes));
    }
  }
}

/**
 * The dots of x with the 4 rows y, y + rowBytes, y + 2 rowBytes, y + 3 rowBytes (dim a multiple
 * of 4), as one vector: four f32x4 partial sums reduced together by two transposing adds.
 */
// @ts-ignore: decorator
@inline
function dot4(dim: i32, x: usize, y: usize, rowBytes: usize): v128 {
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
  const end = x + <usize>dim * 4;
  for (let xp = x, yp = y; xp < end; xp += 16, yp += 16) {
    const v = v128.load(xp);
    s0 = f32x4.add(s0, f32x4.mul(v, v128.load(yp)));
    s1 = f32x4.add(s1, f32x4.mul(v, v128.load(yp + rowBytes)));
    s2 = f32x4.add(s2, f32x4.mul(v, v128.load(yp + 2 * rowBytes)));
    s3 = f32x4.add(s3, f32x4.mul(v, v128.load(yp + 3 * rowBytes)));
  }
  // u0 = [s0_0 + s0_2, s1_0 + s1_2, s0_1 + s0_3, s1_1 + s1_3], u1 likewise for s2, s3
  const u0 = f32x4.add(v128.shuffle<u32>(s0, s1, 0, 4, 1, 5), v128.shuffle<u32>(s0, s1, 2, 6, 3, 7));
  const u1 = f32x4.add(v128.shuffle<u32>(s2, s3, 0, 4, 1, 5), v128.shuffle<u32>(s2, s3, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<u32>(u0, u1, 0, 1, 4, 5), v128.shuffle<u32>(u0, u1, 2, 3, 6, 7));
}

/** gradStacked is overwritten: dT[0] = dz[0 .. d) + pair terms, dT[a] += dz_ab T[b], dT[b] += dz_ab T[a]. */
export function interactionBackward(batch: i32, vectors: i32, dim: i32, stacked: usize, gradOut: usize, gradStacked: usize): void {
  const rowBytes = <usize>dim * 4;
  const width = dim + (vectors * (vectors - 1)) / 2;
  for (let i = 0; i < batch; i++) {
    const offset = <usize>i * <usize>vectors * rowBytes;
    const base = stacked + offset;
    const gradBase = gradStacked + offset;
    let at = gradOut + <usize>i * <usize>width * 4;
    memory.copy(gradBase, at, rowBytes);
    memory.fill(gradBase + rowBytes, 0, <usize>(vectors - 1) * rowBytes);
    at += rowBytes;
    if ((dim & 3) === 0) {
      pairGradients4(vectors, rowBytes, base, gradBase, at);
      continue;
    }
    for (let a = 1; a < vectors; a++) {
      const rowA = base + <usize>a * rowBytes;
      const gradA = gradBase + <usize>a * rowBytes;
      for (let b = 0; b < a; b++, at += 4) {
        const g = load<f32>(at);
        if (g === 0) continue;
        axpy(dim, g, base + <usize>b * rowBytes, gradA);
        axpy(dim, g, rowA, gradBase + <usize>b * rowBytes);
      }
    }
  }
}

/**
 * The pair terms of one sample's backward when dim is a multiple of 4, 4 floats of every vector at
 * a time: dT[a] += sum over b < a of g_ab T[b] (summed in a register, b in order) and
 * dT[b] += g_ab T[a], in the same order of terms as the scalar loop. `g` points at g_10.
 */
function pairGradients4(vectors: i32, rowBytes: usize, base: usize, gradBase: usize, g: usize): void {
  let gRow = g;
  for (let a = 1; a < vectors; a++) {
    const rowA = base + <usize>a * rowBytes;
    const gradA = gradBase + <usize>a * rowBytes;
    for (let j: usize = 0; j < rowBytes; j += 16) {
      const ta = v128.load(rowA + j);
      let acc = v128.load(gradA + j);
      let tb = base + j;
      let gb = gradBase + j;
      for (let b = 0; b < a; b++, tb += rowBytes, gb += rowBytes) {
        const w = v128.load32_splat(gRow + <usize>b * 4);
        acc = f32x4.add(acc, f32x4.mul(w, v128.load(tb)));
        v128.store(gb, f32x4.add(v128.load(gb), f32x4.mul(w, ta)));
      }
      v128.store(gradA + j, acc);
    }
    gRow += <usize>a * 4;
  }
}
