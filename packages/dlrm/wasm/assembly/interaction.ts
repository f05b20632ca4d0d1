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
      for (let b = 0; b < a; b++, at += 4) store<f32>(at, dot(dim, rowA, base + <usize>b * rowBytes));
    }
  }
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
