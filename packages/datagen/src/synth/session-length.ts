/**
 * Session lengths: 1 + floor(Y) rows with Y lognormal(mu, sigma), a heavy-tailed count with
 * minimum 1. mu is calibrated numerically so the mean is exactly the requested one (the floor and
 * the shift make the closed form exp(mu + sigma^2 / 2) off by about half a row).
 */
import type { Rng } from '@recd/core';
import { normalUpperTail } from './lognormal';
import { standardNormal } from './ziggurat';
// Bound once per module: in a vm context (jest) every lookup of a global such as `Math` costs ~0.4 µs.
const { exp, floor } = Math;

/** Terms summed exactly before the tail is taken as an integral. */
const EXACT_TERMS = 256;

export class SessionLengthSampler {
  readonly mean: number;
  readonly sigma: number;
  /** Location of the lognormal; NaN when lengths are fixed (sigma 0 or mean 1). */
  readonly mu: number;
  readonly #fixedLength: number;

  constructor(mean: number, sigma: number) {
    this.mean = mean;
    this.sigma = sigma;
    const fixed = sigma === 0 || mean - 1 < 1e-9;
    this.#fixedLength = fixed ? Math.max(1, Math.round(mean)) : 0;
    this.mu = fixed ? Number.NaN : calibrateMu(mean - 1, sigma);
  }

  draw(rng: Rng): number {
    if (this.#fixedLength > 0) return this.#fixedLength;
    return 1 + floor(exp(this.mu + this.sigma * standardNormal(rng)));
  }
}

/** Calibrated mu by `${target},${sigma}`: a few milliseconds each, and every run needs one. */
const calibrated = new Map<string, number>();

function calibrateMu(target: number, sigma: number): number {
  const key = `${target},${sigma}`;
  let mu = calibrated.get(key);
  if (mu === undefined) calibrated.set(key, (mu = solveMu(target, sigma)));
  return mu;
}

/** Solves E[floor(Y)] = target for mu by bisection (the expectation grows with mu). */
function solveMu(target: number, sigma: number): number {
  let low = -30;
  let high = Math.log(target + 1) + 1;
  while (expectedFloor(high, sigma) < target) high += 1;
  for (let i = 0; i < 50; i++) {
    const mid = (low + high) / 2;
    if (expectedFloor(mid, sigma) < target) low = mid;
    else high = mid;
  }
  return (low + high) / 2;
}

/**
 * E[floor(Y)] = sum over k >= 1 of P(Y >= k). The first K terms are summed; by Euler-Maclaurin
 * the rest is the integral from K to infinity of P(Y > x) dx = E[(Y - K)+], which has a closed
 * form, minus half the K-th term.
 */
function expectedFloor(mu: number, sigma: number): number {
  let sum = 0;
  for (let k = 1; k <= EXACT_TERMS; k++) {
    const term = normalUpperTail((Math.log(k) - mu) / sigma);
    sum += term;
    if (term < 1e-13) return sum;
  }
  const logK = Math.log(EXACT_TERMS);
  const tail =
    Math.exp(mu + (sigma * sigma) / 2) * normalUpperTail((logK - mu - sigma * sigma) / sigma) -
    EXACT_TERMS * normalUpperTail((logK - mu) / sigma);
  return sum + Math.max(0, tail - normalUpperTail((logK - mu) / sigma) / 2);
}
