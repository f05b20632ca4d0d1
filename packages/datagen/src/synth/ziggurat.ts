/**
 * Standard normal variates by Marsaglia and Tsang's ziggurat (128 layers, "The Ziggurat Method
 * for Generating Random Variables", 2000). About four times cheaper than Box-Muller (no log, sqrt
 * or trig on 98.8% of draws), which matters at one or two normals per generated row.
 */
import type { Rng } from '@recd/core';
// Bound once per module: in a vm context (jest) every lookup of a global such as `Math` costs ~0.4 µs.
const { exp, log } = Math;

const LAYERS = 128;
/** Right edge of the base layer, and the area of every layer. */
const R = 3.442619855899;
const AREA = 9.91256303526217e-3;
const SCALE = 2 ** 31;

/** Draws below `accept[i]` (in absolute value) fall inside layer i's rectangle: x = draw * width[i]. */
const accept = new Float64Array(LAYERS);
const width = new Float64Array(LAYERS);
/** The density at each layer's edge. */
const density = new Float64Array(LAYERS);

{
  let edge = R;
  let previous = edge;
  const baseWidth = AREA / Math.exp(-0.5 * edge * edge);
  accept[0] = (edge / baseWidth) * SCALE;
  accept[1] = 0;
  width[0] = baseWidth / SCALE;
  width[LAYERS - 1] = edge / SCALE;
  density[0] = 1;
  density[LAYERS - 1] = Math.exp(-0.5 * edge * edge);
  for (let i = LAYERS - 2; i >= 1; i--) {
    edge = Math.sqrt(-2 * Math.log(AREA / edge + Math.exp(-0.5 * edge * edge)));
    accept[i + 1] = (edge / previous) * SCALE;
    previous = edge;
    density[i] = Math.exp(-0.5 * edge * edge);
    width[i] = edge / SCALE;
  }
}

export function standardNormal(rng: Rng): number {
  for (;;) {
    const draw = rng.nextUint32() | 0;
    const layer = draw & (LAYERS - 1);
    const x = draw * width[layer];
    if ((draw < 0 ? -draw : draw) < accept[layer]) return x;
    if (layer === 0) return tail(draw > 0, rng);
    // In the wedge between the rectangle and the curve: accept under the density.
    if (density[layer] + rng.nextFloat() * (density[layer - 1] - density[layer]) < exp(-0.5 * x * x)) return x;
  }
}

/** Beyond R: Marsaglia's exponential rejection for the normal tail. */
function tail(positive: boolean, rng: Rng): number {
  let x: number;
  let y: number;
  do {
    x = -log(1 - rng.nextFloat()) / R;
    y = -log(1 - rng.nextFloat());
  } while (y + y < x * x);
  return positive ? R + x : -R - x;
}
