import type { Rng } from '@recd/core';

/**
 * Parameter initialisation as in facebookresearch/dlrm:
 * - linear weights W [out x in] ~ Normal(0, sqrt(2 / (in + out)))  (Glorot normal)
 * - linear biases b [out] ~ Normal(0, sqrt(1 / out))
 * - embedding tables [n x d] ~ Uniform(-sqrt(1 / n), sqrt(1 / n))
 */

export function fillNormal(values: Float32Array, rng: Rng, std: number): void {
  for (let i = 0; i < values.length; i++) values[i] = rng.nextNormal() * std;
}

export function fillUniform(values: Float32Array, rng: Rng, bound: number): void {
  for (let i = 0; i < values.length; i++) values[i] = (2 * rng.nextFloat() - 1) * bound;
}

export function initLinear(weight: Float32Array, bias: Float32Array, inFeatures: number, outFeatures: number, rng: Rng): void {
  fillNormal(weight, rng, Math.sqrt(2 / (inFeatures + outFeatures)));
  fillNormal(bias, rng, Math.sqrt(1 / outFeatures));
}

export function initEmbedding(table: Float32Array, rows: number, rng: Rng): void {
  fillUniform(table, rng, Math.sqrt(1 / rows));
}
