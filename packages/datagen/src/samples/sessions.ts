import type { EventTable } from '../log/events';
import { compareInt64, hashInt64, mixHash } from './int64-words';

/**
 * The sessions of one partition of events. Events are ordered by user (known users first),
 * session, time and log position; `eventOrder[sessionStart[s] .. sessionStart[s + 1])` are the
 * events of session s in time order. Sessions of one user are adjacent and in start-time order,
 * which is what the long-term history needs.
 */
export interface SessionIndex {
  count: number;
  /** Event indexes, session by session. */
  eventOrder: Int32Array;
  /** count + 1 boundaries into eventOrder. */
  sessionStart: Int32Array;
  /** Session id: the log's, or for gap-based sessions one derived from user and start time. */
  sessionId: BigInt64Array;
  sessionIdWords: Int32Array;
  /** Start time (ms) of each session. */
  startTime: Float64Array;
  /** Index of an event of the session's user (for user id and whether it is known). */
  userEvent: Int32Array;
}

export interface SessionizeOptions {
  /** Whether events carry session ids; otherwise sessions split on `gapMs` of inactivity per user. */
  hasSessionColumn: boolean;
  gapMs: number;
}

/**
 * Groups events into sessions. With a session column, a session is the events with the same
 * (user, session id): rows of one session id that name different users (or a user and none)
 * become separate sessions. Without one, a user's events split where the gap between
 * consecutive events exceeds `gapMs`.
 */
export function sessionize(events: EventTable, options: SessionizeOptions): SessionIndex {
  const n = events.length;
  const userWords = new Int32Array(events.user.buffer, events.user.byteOffset, 2 * n);
  const sessionWords = new Int32Array(events.session.buffer, events.session.byteOffset, 2 * n);
  const { userKnown, time, order } = events;
  const withSessions = options.hasSessionColumn;
  const eventOrder = Int32Array.from({ length: n }, (_, i) => i);
  eventOrder.sort((a, b) => {
    if (userKnown[a] !== userKnown[b]) return userKnown[b] - userKnown[a];
    const byUser = compareInt64(userWords, a, userWords, b);
    if (byUser !== 0) return byUser;
    if (withSessions) {
      const bySession = compareInt64(sessionWords, a, sessionWords, b);
      if (bySession !== 0) return bySession;
    }
    return time[a] - time[b] || order[a] - order[b];
  });

  const boundaries: number[] = [];
  for (let k = 0; k < n; k++) {
    const event = eventOrder[k];
    if (k === 0) {
      boundaries.push(0);
      continue;
    }
    const previous = eventOrder[k - 1];
    const sameUser = userKnown[event] === userKnown[previous] && compareInt64(userWords, event, userWords, previous) === 0;
    const sameSession = withSessions
      ? sameUser && compareInt64(sessionWords, event, sessionWords, previous) === 0
      : sameUser && time[event] - time[previous] <= options.gapMs;
    if (!sameSession) boundaries.push(k);
  }
  const count = boundaries.length;
  boundaries.push(n);

  // Sessions in (user, start time, session id) order, so a user's sessions come in time order.
  const startTime = new Float64Array(count);
  const firstEvent = new Int32Array(count);
  for (let s = 0; s < count; s++) {
    firstEvent[s] = eventOrder[boundaries[s]];
    startTime[s] = time[firstEvent[s]];
  }
  const ids = new BigInt64Array(count);
  const idWords = new Int32Array(ids.buffer);
  for (let s = 0; s < count; s++) {
    const event = firstEvent[s];
    if (withSessions) {
      idWords[2 * s] = sessionWords[2 * event];
      idWords[2 * s + 1] = sessionWords[2 * event + 1];
    } else {
      // derived from user and start time: the same for any partitioning of the log
      const seed = hashInt64(userWords, event, 0x2f1d);
      idWords[2 * s] = mixHash(seed, startTime[s] | 0) | 0;
      idWords[2 * s + 1] = (mixHash(seed ^ 0x9e3779b9, Math.floor(startTime[s] / 4294967296)) & 0x3fffffff) | 0;
    }
  }
  const sessionOrder = Int32Array.from({ length: count }, (_, s) => s);
  sessionOrder.sort((a, b) => {
    const ea = firstEvent[a];
    const eb = firstEvent[b];
    if (userKnown[ea] !== userKnown[eb]) return userKnown[eb] - userKnown[ea];
    const byUser = compareInt64(userWords, ea, userWords, eb);
    if (byUser !== 0) return byUser;
    return startTime[a] - startTime[b] || compareInt64(idWords, a, idWords, b);
  });

  const result: SessionIndex = {
    count,
    eventOrder: new Int32Array(n),
    sessionStart: new Int32Array(count + 1),
    sessionId: new BigInt64Array(count),
    sessionIdWords: new Int32Array(0),
    startTime: new Float64Array(count),
    userEvent: new Int32Array(count),
  };
  result.sessionIdWords = new Int32Array(result.sessionId.buffer);
  let at = 0;
  for (let rank = 0; rank < count; rank++) {
    const s = sessionOrder[rank];
    result.sessionStart[rank] = at;
    result.eventOrder.set(eventOrder.subarray(boundaries[s], boundaries[s + 1]), at);
    at += boundaries[s + 1] - boundaries[s];
    result.sessionIdWords[2 * rank] = idWords[2 * s];
    result.sessionIdWords[2 * rank + 1] = idWords[2 * s + 1];
    result.startTime[rank] = startTime[s];
    result.userEvent[rank] = firstEvent[s];
  }
  result.sessionStart[count] = n;
  return result;
}
