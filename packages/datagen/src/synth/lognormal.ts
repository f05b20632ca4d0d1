/**
 * Lognormal helpers. Every multiplicative effect in the generator (item quality, user propensity,
 * session pace, gaps) is a lognormal factor with mean one, so a sigma changes the spread of an
 * effect without moving the rate it multiplies.
 */
import type { Rng } from '@recd/core';
import { standardNormal } from './ziggurat';
// Bound once per module: in a vm context (jest) every lookup of a global such as `Math` costs ~0.4 µs.
const { abs, exp } = Math;

/** exp(sigma * Z - sigma^2 / 2) with Z standard normal: mean 1, median exp(-sigma^2 / 2). */
export function meanOneLognormal(sigma: number, rng: Rng): number {
  return sigma === 0 ? 1 : exp(sigma * standardNormal(rng) - (sigma * sigma) / 2);
}

/** P(Z > x) for a standard normal Z (complementary error function, relative error < 1.2e-7). */
export function normalUpperTail(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

/** Numerical Recipes' erfc (Chebyshev fit), coefficients highest order last. */
const ERFC_COEFFICIENTS = [
  -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628288, 0.27886807, -1.13520398, 1.48851587, -0.82215223,
  0.17087277,
];

function erfc(x: number): number {
  const z = abs(x);
  const t = 1 / (1 + 0.5 * z);
  let polynomial = 0;
  for (let k = ERFC_COEFFICIENTS.length - 1; k >= 0; k--) polynomial = ERFC_COEFFICIENTS[k] + t * polynomial;
  const r = t * exp(-z * z + polynomial);
  return x >= 0 ? r : 2 - r;
}
