import { Rng } from '@recd/core';

/**
 * The units (row groups) one rank reads in one epoch, in reading order. Without shuffling: stored
 * order. With shuffling: all units are permuted with a generator derived from (seed, epoch) (the
 * same on every rank), so each epoch reads row groups in a new order. Rank r takes positions
 * r, r + worldSize, ...: the ranks' units are disjoint and together are all units.
 */
export function epochUnits(count: number, epoch: number, rank: number, worldSize: number, seed: number | undefined): Int32Array {
  const order = new Int32Array(count);
  for (let u = 0; u < count; u++) order[u] = u;
  if (seed !== undefined) epochRng(seed, epoch).fork(1).shuffle(order);
  const mine = new Int32Array(Math.max(0, Math.ceil((count - rank) / worldSize)));
  for (let i = 0, u = rank; u < count; i++, u += worldSize) mine[i] = order[u];
  return mine;
}

/** The generator of epoch `epoch`: streams fork(1) orders the row groups, fork(2) drives the run shuffle. */
export function epochRng(seed: number, epoch: number): Rng {
  return new Rng(seed).fork(epoch);
}
