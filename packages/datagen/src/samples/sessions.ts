import type { EventTable } from '../log/events';
import { compareInt64, hashInt64, mixHash } from './int64-words';
import { float64KeyWords, int64KeyWords, radixSortIndexes } from './radix-sort';

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
 *
 * Events and sessions are ordered by a radix sort on their keys (radix-sort.ts); `naive` sorts
 * with a comparator instead, the twin tests compare against (also used when the events are not
 * in log order, as the radix sort relies on that to break ties).
 */
export function sessionize(events: EventTable, options: SessionizeOptions, naive = false): SessionIndex {
  const n = events.length;
  const userWords = new Int32Array(events.user.buffer, events.user.byteOffset, 2 * n);
  const sessionWords = new Int32Array(events.session.buffer, events.session.byteOffset, 2 * n);
  const { userKnown, time, order } = events;
  const withSessions = options.hasSessionColumn;
  const eventOrder = identity(n);
  if (naive || !isAscending(order) || time.some(Number.isNaN)) {
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
  } else {
    // events come in log order, so the stable sort by the other keys breaks ties by log position
    const keys = [...float64KeyWords(time), ...(withSessions ? int64KeyWords(sessionWords, n) : []), ...int64KeyWords(userWords, n), unknownFirstWords(userKnown, n)];
    radixSortIndexes(eventOrder, keys);
  }

  const boundaries = sessionBoundaries(eventOrder, userKnown, userWords, withSessions ? sessionWords : undefined, time, options.gapMs);
  const count = boundaries.length;
  boundaries.push(n);

  // Sessions in (user, start time, session id) order, so a user's sessions come in time order.
  const startTime = new Float64Array(count);
  const firstEvent = new Int32Array(count);
  firstEvents(eventOrder, boundaries, time, firstEvent, startTime);
  const ids = new BigInt64Array(count);
  const idWords = new Int32Array(ids.buffer);
  if (withSessions) copySessionIds(sessionWords, firstEvent, idWords);
  else deriveSessionIds(userWords, firstEvent, startTime, idWords);
  const sessionOrder = identity(count);
  if (naive) {
    sessionOrder.sort((a, b) => {
      const ea = firstEvent[a];
      const eb = firstEvent[b];
      if (userKnown[ea] !== userKnown[eb]) return userKnown[eb] - userKnown[ea];
      const byUser = compareInt64(userWords, ea, userWords, eb);
      if (byUser !== 0) return byUser;
      return startTime[a] - startTime[b] || compareInt64(idWords, a, idWords, b);
    });
  } else {
    // ties on every key are sessions with the same (user, start, id): left in their order, as the comparator sort is stable
    const firstUserWords = new Int32Array(2 * count);
    const firstKnown = new Uint8Array(count);
    firstUsers(userWords, userKnown, firstEvent, firstUserWords, firstKnown);
    radixSortIndexes(sessionOrder, [...int64KeyWords(idWords, count), ...float64KeyWords(startTime), ...int64KeyWords(firstUserWords, count), unknownFirstWords(firstKnown, count)]);
  }

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
  fillSessionIndex(result, sessionOrder, eventOrder, boundaries, idWords, startTime, firstEvent);
  result.sessionStart[count] = n;
  return result;
}

/*
 * Each loop below sits in a function with nothing after it but a return: code V8 compiles while
 * a loop runs (on-stack replacement) is reused at the next call, and statements after the loop
 * that had not run yet made sessionize deoptimize at every partition.
 */

/** Where sessions start in `eventOrder` (sorted by user, session, time). */
function sessionBoundaries(eventOrder: Int32Array, userKnown: Uint8Array, userWords: Int32Array, sessionWords: Int32Array | undefined, time: Float64Array, gapMs: number): number[] {
  const n = eventOrder.length;
  const boundaries: number[] = n > 0 ? [0] : [];
  for (let k = 1; k < n; k++) {
    const event = eventOrder[k];
    const previous = eventOrder[k - 1];
    const sameUser = userKnown[event] === userKnown[previous] && compareInt64(userWords, event, userWords, previous) === 0;
    const sameSession = sessionWords
      ? sameUser && compareInt64(sessionWords, event, sessionWords, previous) === 0
      : sameUser && time[event] - time[previous] <= gapMs;
    if (!sameSession) boundaries.push(k);
  }
  return boundaries;
}

function firstEvents(eventOrder: Int32Array, boundaries: number[], time: Float64Array, firstEvent: Int32Array, startTime: Float64Array): void {
  for (let s = 0; s < firstEvent.length; s++) {
    firstEvent[s] = eventOrder[boundaries[s]];
    startTime[s] = time[firstEvent[s]];
  }
}

function copySessionIds(sessionWords: Int32Array, firstEvent: Int32Array, idWords: Int32Array): void {
  for (let s = 0; s < firstEvent.length; s++) {
    idWords[2 * s] = sessionWords[2 * firstEvent[s]];
    idWords[2 * s + 1] = sessionWords[2 * firstEvent[s] + 1];
  }
}

/** Session ids derived from user and start time: the same for any partitioning of the log. */
function deriveSessionIds(userWords: Int32Array, firstEvent: Int32Array, startTime: Float64Array, idWords: Int32Array): void {
  for (let s = 0; s < firstEvent.length; s++) {
    const seed = hashInt64(userWords, firstEvent[s], 0x2f1d);
    idWords[2 * s] = mixHash(seed, startTime[s] | 0) | 0;
    idWords[2 * s + 1] = (mixHash(seed ^ 0x9e3779b9, Math.floor(startTime[s] / 4294967296)) & 0x3fffffff) | 0;
  }
}

function firstUsers(userWords: Int32Array, userKnown: Uint8Array, firstEvent: Int32Array, firstUserWords: Int32Array, firstKnown: Uint8Array): void {
  for (let s = 0; s < firstEvent.length; s++) {
    firstUserWords[2 * s] = userWords[2 * firstEvent[s]];
    firstUserWords[2 * s + 1] = userWords[2 * firstEvent[s] + 1];
    firstKnown[s] = userKnown[firstEvent[s]];
  }
}

/** The sessions in `sessionOrder`: their events, boundaries, ids, start times and first events. */
function fillSessionIndex(result: SessionIndex, sessionOrder: Int32Array, eventOrder: Int32Array, boundaries: number[], idWords: Int32Array, startTime: Float64Array, firstEvent: Int32Array): void {
  let at = 0;
  for (let rank = 0; rank < result.count; rank++) {
    const s = sessionOrder[rank];
    result.sessionStart[rank] = at;
    result.eventOrder.set(eventOrder.subarray(boundaries[s], boundaries[s + 1]), at);
    at += boundaries[s + 1] - boundaries[s];
    result.sessionIdWords[2 * rank] = idWords[2 * s];
    result.sessionIdWords[2 * rank + 1] = idWords[2 * s + 1];
    result.startTime[rank] = startTime[s];
    result.userEvent[rank] = firstEvent[s];
  }
}

function identity(n: number): Int32Array {
  const indexes = new Int32Array(n);
  for (let i = 0; i < n; i++) indexes[i] = i;
  return indexes;
}

function isAscending(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (!(values[i - 1] < values[i])) return false;
  return true;
}

/** A key word that orders by `known` descending (known users, 1, before unknown ones, 0). */
function unknownFirstWords(known: Uint8Array, n: number): Uint32Array {
  const words = new Uint32Array(n);
  for (let e = 0; e < n; e++) words[e] = 255 - known[e];
  return words;
}
