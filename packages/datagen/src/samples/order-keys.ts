import type { SampleOrder } from '../dataset/manifest';
import { mixHash } from './int64-words';

/** Bits of a session-order key left for the session's rank among its user's sessions. */
const RANK_BITS = 11;
const RANK_LIMIT = 2 ** RANK_BITS;

/**
 * The merge key of a sample (runs merge by key, then session id, then index in the session).
 *
 * - `session`: the session's start (ms): sessions in start order, the samples of a session
 *   together (RecD's layout; a holdout of the last row groups holds the latest sessions).
 * - `user`: user-major. A user's sessions come together in start order, users by the start of
 *   their first session; an anonymous session counts as a user of its own. The key packs both
 *   levels into one float64, exactly: `floor(userStart) * 2^11 + rank`, with `userStart` the
 *   user's first session start (ms) and `rank` the session's index among the user's sessions by
 *   start. It is the same for any partitioning of the log, since all of a user's sessions lie in
 *   one partition. Consecutive sessions of one user carry long-term histories that mostly overlap
 *   (each shifted by the items of the session before), so the page compressor finds them; in start
 *   order they lie far apart when many sessions are live at once. Users in order of arrival keep
 *   users of one period (and the items of that period) together. Beyond 2^11 sessions of a user,
 *   or for times beyond 2^42 ms (the year 2109), keys tie and sessions fall back to session-id
 *   order; the samples of a session stay together either way.
 * - `time`: the sample's event time (ms).
 * - `random`: a seeded hash of the session (`sessionHash`) and the sample's index in it (`sub`).
 */
export function sampleOrderKey(
  order: SampleOrder,
  session: { start: number; userStart: number; rankInUser: number; hash: number },
  time: number,
  sub: number,
): number {
  if (order === 'session') return session.start;
  if (order === 'user') return Math.floor(session.userStart) * RANK_LIMIT + Math.min(session.rankInUser, RANK_LIMIT - 1);
  if (order === 'time') return time;
  return mixHash(session.hash ^ 0x5851f42d, sub);
}
