import type { EventTable } from '../log/events';
import type { LabelRule } from '../log/log-schema';
import type { SampleOrder } from '../dataset/manifest';
import type { SampleLayout } from './sample-layout';
import type { SessionIndex } from './sessions';
import { SampleChunkBuilder } from './sample-builder';
import { gatherChunk } from './chunk-gather';
import { compareInt64, mixHash } from './int64-words';
import { sampleOrderKey } from './order-keys';
import { SessionRowPlan, SessionShape, continuesUser, planSessionRows, sessionShape } from './session-row-plan';
import type { SampleChunk } from '../dataset/sample-chunk';

/**
 * The samples of one partition, sorted by the dataset order's key: `key` (`sampleOrderKey`: session
 * start, user and rank of the session in it, sample time, or a seeded random number), then session id, then
 * `sub` (the sample's index within its session). Runs from all partitions merge into one
 * globally ordered dataset.
 */
export interface SampleRun {
  chunk: SampleChunk;
  key: Float64Array;
  sub: Int32Array;
  sessions: number;
}

export interface GenerateContext {
  layout: SampleLayout;
  label: LabelRule;
  order: SampleOrder;
  seed: number;
  /** Items negatives are drawn from (next-item labels), as int64 words. */
  negativePool: Int32Array;
  /**
   * Allocate the run's arrays in SharedArrayBuffers where they are made to size (session order):
   * encoder threads then gather row groups from them without a copy through this thread.
   */
  sharedRuns?: boolean;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * In session order the samples are written straight to their places in the run (SessionRowPlan);
 * otherwise, or when two sessions share a start and an id, they are generated session by session
 * and then sorted, which is also the plain twin the in-place path is tested against
 * (`inPlace: false`).
 */
export function generatePartitionSamples(events: EventTable, sessions: SessionIndex, context: GenerateContext, inPlace = true): SampleRun {
  const { layout, label } = context;
  const ix = layout.index;
  const shape = sessionShape(label);
  const plan = inPlace && context.order === 'session' ? planSessionRows(events, sessions, shape, layout.prefixLength, layout.historyLength) : undefined;
  const listCapacity = layout.columns.map((_, c) => (c === ix.sessionPrefix ? plan?.prefixValues : c === ix.userHistory ? plan?.historyValues : 0) ?? 0);
  const builder = plan
    ? new SampleChunkBuilder(layout.columns, plan.rows, listCapacity, context.sharedRuns)
    : new SampleChunkBuilder(layout.columns, Math.max(16, events.length * shape.perPosition));
  const writer = new SessionSampleWriter(events, sessions, context, builder, plan);
  // one call per session: small, separately optimized code rather than one long loop compiled on the stack
  for (let s = 0; s < sessions.count; s++) writer.writeSession(s);
  if (plan) {
    builder.seek(plan.rows, listCapacity); // the end: every block is filled
    return { chunk: builder.finish(), key: plan.key, sub: plan.sub, sessions: sessions.count };
  }
  return sortedRun(builder.finish(), Float64Array.from(writer.keys), Int32Array.from(writer.subs), ix, sessions.count);
}

/** A run's rows sorted by the merge's total order: key, session id, index in session, user id. */
function sortedRun(chunk: SampleChunk, key: Float64Array, sub: Int32Array, ix: SampleLayout['index'], sessions: number): SampleRun {
  const sessionIds = new Int32Array((chunk.columns[ix.sessionId].values as BigInt64Array).buffer);
  const userIds = new Int32Array((chunk.columns[ix.userId].values as BigInt64Array).buffer);
  const rows = Int32Array.from({ length: chunk.length }, (_, i) => i);
  rows.sort((a, b) => key[a] - key[b] || compareInt64(sessionIds, a, sessionIds, b) || sub[a] - sub[b] || compareInt64(userIds, a, userIds, b));
  return {
    chunk: gatherChunk(chunk, rows),
    key: Float64Array.from(rows, (r) => key[r]),
    sub: Int32Array.from(rows, (r) => sub[r]),
    sessions,
  };
}

/**
 * Writes a partition's samples session by session (in the sessions' order: a user's sessions
 * one after another, by start), keeping the user's history and rank from one session to the next.
 * With a plan, each session's rows go to their planned places; without, `keys` and `subs` collect
 * each row's order key and index in its session.
 */
class SessionSampleWriter {
  readonly keys: number[] = [];
  readonly subs: number[] = [];
  readonly #events: EventTable;
  readonly #sessions: SessionIndex;
  readonly #context: GenerateContext;
  readonly #builder: SampleChunkBuilder;
  readonly #plan: SessionRowPlan | undefined;
  readonly #listStart: number[];
  readonly #itemWords: Int32Array;
  readonly #categoryWords: Int32Array;
  readonly #userWords: Int32Array;
  readonly #categoricalWords: Int32Array[];
  readonly #history: HistoryRing;
  readonly #historyWords: Int32Array;
  #sessionItems = new Int32Array(256);
  readonly #seedHash: number;
  readonly #shape: SessionShape;
  #userFirstStart = 0;
  #rankInUser = 0;

  constructor(events: EventTable, sessions: SessionIndex, context: GenerateContext, builder: SampleChunkBuilder, plan: SessionRowPlan | undefined) {
    this.#events = events;
    this.#sessions = sessions;
    this.#context = context;
    this.#builder = builder;
    this.#plan = plan;
    this.#listStart = context.layout.columns.map(() => 0);
    this.#itemWords = new Int32Array(events.item.buffer, events.item.byteOffset, 2 * events.length);
    this.#categoryWords = new Int32Array(events.category.buffer, events.category.byteOffset, 2 * events.length);
    this.#userWords = new Int32Array(events.user.buffer, events.user.byteOffset, 2 * events.length);
    this.#categoricalWords = events.categorical.map((column) => new Int32Array(column.buffer, column.byteOffset, 2 * events.length));
    this.#history = new HistoryRing(context.layout.historyLength);
    this.#historyWords = new Int32Array(2 * context.layout.historyLength);
    this.#seedHash = mixHash(0x6a09e667, context.seed | 0);
    this.#shape = sessionShape(context.label);
  }

  writeSession(s: number): void {
    const events = this.#events;
    const sessions = this.#sessions;
    const { layout, label } = this.#context;
    const ix = layout.index;
    const builder = this.#builder;
    const plan = this.#plan;
    const itemWords = this.#itemWords;
    const userWords = this.#userWords;
    const categoryWords = this.#categoryWords;
    const categoricalWords = this.#categoricalWords;
    const historyWords = this.#historyWords;
    const prefixLength = layout.prefixLength;
    const pool = this.#context.negativePool;
    const poolSize = pool.length >> 1;
    const from = sessions.sessionStart[s];
    const to = sessions.sessionStart[s + 1];
    const length = to - from;
    const userEvent = sessions.userEvent[s];
    const known = events.userKnown[userEvent] === 1;
    const sameUserAsBefore = continuesUser(events, sessions, userWords, s);
    if (!sameUserAsBefore) this.#history.clear();
    this.#rankInUser = sameUserAsBefore ? this.#rankInUser + 1 : 0;
    if (!sameUserAsBefore) this.#userFirstStart = sessions.startTime[s]; // a user's sessions come in start order
    const historyCount = this.#history.copyTo(historyWords);
    if (this.#sessionItems.length < 2 * length) this.#sessionItems = new Int32Array(4 * length);
    const sessionItems = this.#sessionItems;
    for (let k = 0; k < length; k++) {
      const event = sessions.eventOrder[from + k];
      sessionItems[2 * k] = itemWords[2 * event];
      sessionItems[2 * k + 1] = itemWords[2 * event + 1];
    }
    const start = sessions.startTime[s];
    const hour = mod(Math.floor(start / HOUR_MS), 24);
    const weekday = mod(Math.floor(start / DAY_MS) + 4, 7);
    const sessionLow = sessions.sessionIdWords[2 * s];
    const sessionHigh = sessions.sessionIdWords[2 * s + 1];
    const sessionHash = mixHash(mixHash(this.#seedHash, sessionLow), sessionHigh);
    const sessionKeys = plan ? undefined : { start, userStart: this.#userFirstStart, rankInUser: this.#rankInUser, hash: sessionHash };
    let sub = 0;
    if (plan) {
      this.#listStart[ix.sessionPrefix] = plan.prefixStart[s];
      this.#listStart[ix.userHistory] = plan.historyStart[s];
      builder.seek(plan.rowStart[s], this.#listStart);
    }

    const { firstPosition, perPosition } = this.#shape;
    const firstRow = builder.length;
    for (let position = firstPosition; position < length; position++) {
      const event = sessions.eventOrder[from + position];
      builder.reserve(perPosition);
      for (let variant = 0; variant < perPosition; variant++) {
        const row = builder.length;
        const f32 = builder.float32;
        const words = builder.int64Words;
        // label and item: the event's own, or for next-item the next item (variant 0) and negatives
        let itemLow = itemWords[2 * event];
        let itemHigh = itemWords[2 * event + 1];
        let sampleLabel = events.label[event];
        if (label.kind === 'next-item') {
          sampleLabel = variant === 0 ? 1 : 0;
          if (variant > 0 && poolSize > 0) {
            let pick = mixHash(sessionHash, position * 64 + variant) % poolSize;
            if (poolSize > 1 && pool[2 * pick] === itemLow && pool[2 * pick + 1] === itemHigh) pick = (pick + 1) % poolSize;
            itemLow = pool[2 * pick];
            itemHigh = pool[2 * pick + 1];
          }
        }
        f32[ix.label][row] = sampleLabel;
        setWords(words[ix.sessionId], row, sessionLow, sessionHigh);
        setInt64FromNumber(words[ix.timestamp], row, Math.round(events.time[event]));
        setWords(words[ix.itemId], row, itemLow, itemHigh);
        if (ix.itemCategory >= 0) {
          // a sampled negative carries no category of its own here: 0
          if (variant === 0) setWords(words[ix.itemCategory], row, categoryWords[2 * event], categoryWords[2 * event + 1]);
          else setWords(words[ix.itemCategory], row, 0, 0);
        }
        for (let k = 0; k < ix.categorical.length; k++) {
          setWords(words[ix.categorical[k]], row, categoricalWords[k][2 * event], categoricalWords[k][2 * event + 1]);
        }
        f32[ix.position][row] = position;
        f32[ix.timeSinceStart][row] = (events.time[event] - start) / 1000;
        for (let k = 0; k < ix.dense.length; k++) f32[ix.dense[k]][row] = events.dense[k][event];
        builder.pushList(ix.sessionPrefix, row, sessionItems, Math.max(0, position - prefixLength), position);
        if (known) setWords(words[ix.userId], row, userWords[2 * userEvent], userWords[2 * userEvent + 1]);
        else setWords(words[ix.userId], row, 0, 0);
        setWords(words[ix.sessionHour], row, hour, 0);
        setWords(words[ix.sessionWeekday], row, weekday, 0);
        builder.length++;
        if (plan) continue; // its key and sub are in the plan
        this.keys.push(sampleOrderKey(this.#context.order, sessionKeys!, events.time[event], sub));
        this.subs.push(sub++);
      }
    }
    // the user's history is the same for every sample of the session: written once, then repeated
    builder.pushRepeatedList(ix.userHistory, firstRow, builder.length - firstRow, historyWords, 0, historyCount);
    if (known) for (let k = 0; k < length; k++) this.#history.push(sessionItems[2 * k], sessionItems[2 * k + 1]);
  }
}

function mod(value: number, modulus: number): number {
  return ((value % modulus) + modulus) % modulus;
}

function setWords(words: Int32Array, row: number, low: number, high: number): void {
  words[2 * row] = low;
  words[2 * row + 1] = high;
}

function setInt64FromNumber(words: Int32Array, row: number, value: number): void {
  words[2 * row] = value >>> 0;
  words[2 * row + 1] = Math.floor(value / 4294967296);
}

/** The last `capacity` items pushed, as int64 words, oldest first. */
class HistoryRing {
  readonly #words: Int32Array;
  readonly #capacity: number;
  #count = 0;
  #next = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
    this.#words = new Int32Array(2 * Math.max(1, capacity));
  }

  clear(): void {
    this.#count = 0;
    this.#next = 0;
  }

  push(low: number, high: number): void {
    if (this.#capacity === 0) return;
    this.#words[2 * this.#next] = low;
    this.#words[2 * this.#next + 1] = high;
    this.#next = (this.#next + 1) % this.#capacity;
    if (this.#count < this.#capacity) this.#count++;
  }

  /** Writes the items oldest first; returns how many. */
  copyTo(out: Int32Array): number {
    const first = (this.#next - this.#count + this.#capacity) % Math.max(1, this.#capacity);
    for (let k = 0; k < this.#count; k++) {
      const slot = (first + k) % this.#capacity;
      out[2 * k] = this.#words[2 * slot];
      out[2 * k + 1] = this.#words[2 * slot + 1];
    }
    return this.#count;
  }
}
