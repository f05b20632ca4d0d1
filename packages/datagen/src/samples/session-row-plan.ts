import type { EventTable } from '../log/events';
import type { LabelRule } from '../log/log-schema';
import { compareInt64 } from './int64-words';
import type { SessionIndex } from './sessions';

/**
 * Where each session's samples go in a partition's run when the dataset is in session order, so
 * the generator can write them in place (sessions are generated in user order, for the history,
 * but stored by start time): the run's order is session start, then session id, then the sample's
 * index in its session, so each session's samples are one block, and the blocks are in
 * (start, session id) order. The sizes of the list columns follow from the session lengths: a
 * sample's prefix holds min(position, prefixLength) items and its history the items of the user's
 * earlier sessions, at most historyLength.
 *
 * Two sessions with the same start and session id (one id shared by two users) interleave their
 * samples in the run's order; then there is no plan, and the generator sorts rows instead.
 */
export interface SessionRowPlan {
  /** Samples in the run. */
  rows: number;
  /** Per session (in SessionIndex order): its first row, first prefix value and first history value. */
  rowStart: Int32Array;
  prefixStart: Int32Array;
  historyStart: Int32Array;
  prefixValues: number;
  historyValues: number;
  /** Per row, in run order: the order key (session start) and the index in the session. */
  key: Float64Array;
  sub: Int32Array;
}

export interface SessionShape {
  /** First position that makes samples (1 for next-item labels: the first item has no target). */
  firstPosition: number;
  /** Samples per position (1, or 1 + negatives for next-item labels). */
  perPosition: number;
}

export function sessionShape(label: LabelRule): SessionShape {
  return label.kind === 'next-item' ? { firstPosition: 1, perPosition: 1 + label.negatives } : { firstPosition: 0, perPosition: 1 };
}

/**
 * Whether session `s` continues the user of session `s - 1` (a known user), so the long-term
 * history carries over; otherwise it starts empty.
 */
export function continuesUser(events: EventTable, sessions: SessionIndex, userWords: Int32Array, s: number): boolean {
  const userEvent = sessions.userEvent[s];
  if (s === 0 || events.userKnown[userEvent] !== 1) return false;
  const previous = sessions.userEvent[s - 1];
  return events.userKnown[previous] === 1 && compareInt64(userWords, userEvent, userWords, previous) === 0;
}

export function planSessionRows(
  events: EventTable,
  sessions: SessionIndex,
  shape: SessionShape,
  prefixLength: number,
  historyLength: number,
): SessionRowPlan | undefined {
  const count = sessions.count;
  const userWords = new Int32Array(events.user.buffer, events.user.byteOffset, 2 * events.length);
  const rowsOf = new Int32Array(count);
  const prefixOf = new Float64Array(count);
  const historyOf = new Float64Array(count);
  let history = 0;
  for (let s = 0; s < count; s++) {
    const length = sessions.sessionStart[s + 1] - sessions.sessionStart[s];
    if (!continuesUser(events, sessions, userWords, s)) history = 0;
    const positions = Math.max(0, length - shape.firstPosition);
    rowsOf[s] = positions * shape.perPosition;
    // prefix items over positions firstPosition .. length - 1: min(position, prefixLength) each
    let prefix = 0;
    for (let position = shape.firstPosition; position < length; position++) prefix += Math.min(position, prefixLength);
    prefixOf[s] = prefix * shape.perPosition;
    historyOf[s] = rowsOf[s] * history;
    if (events.userKnown[sessions.userEvent[s]] === 1) history = Math.min(historyLength, history + length);
  }

  const ids = sessions.sessionIdWords;
  const start = sessions.startTime;
  const order = Int32Array.from({ length: count }, (_, s) => s);
  order.sort((a, b) => start[a] - start[b] || compareInt64(ids, a, ids, b));
  for (let rank = 1; rank < count; rank++) {
    const a = order[rank - 1];
    const b = order[rank];
    if (start[a] === start[b] && compareInt64(ids, a, ids, b) === 0) return undefined;
  }

  // the plan object is made once its numbers are known: assigning a double to a field that held
  // a small integer changes the object's hidden class, and code optimized for the old one
  // deoptimizes (generatePartitionSamples, a large function, then recompiles)
  const rowStart = new Int32Array(count);
  const prefixStart = new Int32Array(count);
  const historyStart = new Int32Array(count);
  let rows = 0;
  let prefixValues = 0;
  let historyValues = 0;
  for (let rank = 0; rank < count; rank++) {
    const s = order[rank];
    rowStart[s] = rows;
    prefixStart[s] = prefixValues;
    historyStart[s] = historyValues;
    rows += rowsOf[s];
    prefixValues += prefixOf[s];
    historyValues += historyOf[s];
  }
  if (prefixValues > 2 ** 31 - 1 || historyValues > 2 ** 31 - 1) return undefined; // beyond int32 list offsets
  // `| 0` (exact: they fit int32) keeps the fields small integers in every plan
  const plan: SessionRowPlan = { rows: rows | 0, rowStart, prefixStart, historyStart, prefixValues: prefixValues | 0, historyValues: historyValues | 0, key: new Float64Array(rows), sub: new Int32Array(rows) };
  for (let s = 0; s < count; s++) {
    const from = plan.rowStart[s];
    plan.key.fill(start[s], from, from + rowsOf[s]);
    for (let i = 0; i < rowsOf[s]; i++) plan.sub[from + i] = i;
  }
  return plan;
}
