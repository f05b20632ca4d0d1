import type { SampleOrder } from '../dataset/manifest';
import { mixHash } from './int64-words';

/** Bits of a session-order key left for the session's rank among its user's sessions. */
const RANK_BITS = 21;
const RANK_LIMIT = 2 ** RANK_BITS;

/**
 * The merge key of a sample (runs merge by key, then session id, then index in the session).
 *
 * - `session`: user-major. A user's sessions come together in start-time order, users in a seeded
 *   hash order; an anonymous session counts as a user of its own. The key is
 *   `hash32(user) * 2^21 + rank` (exact in a float64): the same for any partitioning of the log,
 *   since all of a user's sessions lie in one partition. Consecutive sessions of one user carry
 *   long-term histories that mostly overlap (each shifted by the items of the session before), so
 *   the page compressor finds them; in start-time order those sessions are far apart. A user with
 *   more than 2^21 sessions, or two users with the same hash, tie on the key and fall back to
 *   session-id order; the samples of a session stay together either way.
 * - `time`: the sample's event time (ms).
 * - `random`: a seeded hash of the session (`sessionHash`) and the sample's index in it (`sub`).
 */
export function sampleOrderKey(order: SampleOrder, groupHash: number, rankInGroup: number, time: number, sessionHash: number, sub: number): number {
  if (order === 'session') return groupHash * RANK_LIMIT + Math.min(rankInGroup, RANK_LIMIT - 1);
  if (order === 'time') return time;
  return mixHash(sessionHash ^ 0x5851f42d, sub);
}
