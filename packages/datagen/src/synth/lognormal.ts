/**
 * Lognormal helpers. Every multiplicative effect in the generator (item quality, user propensity,
 * session pace, gaps) is a lognormal factor with mean one, so a sigma changes the spread of an
 * effect without moving the rate it multiplies.
 */
import type { Rng } from '@recd/core';

/** exp(sigma * Z - sigma^2 / 2) with Z standard normal: mean 1, median exp(-sigma^2 / 2). */
export function meanOneLognormal(sigma: number, rng: Rng): number {
  return sigma === 0 ? 1 : Math.exp(sigma * rng.nextNormal() - (sigma * sigma) / 2);
}

/** P(Z > x) for a standard normal Z (complementary error function, relative error < 1.2e-7). */
export function normalUpperTail(x: number): number {
  return 0.5 * erfc(x / Math.SQRT2);
}

/** Numerical Recipes' erfc (Chebyshev fit). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628288 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}
