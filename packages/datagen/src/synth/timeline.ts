/**
 * The timeline: `concurrentSessions` slots, each holding one live session. A slot's session
 * writes a row, waits an in-session gap, writes the next, and when it has written all its rows the
 * slot starts a new session (often a returning user) one gap later. Rows are emitted in global
 * time order by always advancing the slot whose next row is due first, which is a random choice
 * among the live sessions weighted by their pace.
 *
 * Every session is written whole: its length is drawn when it starts and its rows are promised
 * out of the `events` budget then. All slots open at the start, so the log is at full concurrency
 * from its first rows; once the budget is promised, ending sessions are not replaced and
 * concurrency winds down while the last sessions finish (see docs/synthetic-logs.md).
 *
 * Memory is O(concurrentSessions + users + items), independent of `events`. Per-slot and per-item
 * state is packed into one Float64Array each, so a row touches few cache lines.
 */
import type { Rng } from '@recd/core';
import { AsciiRows, lastField } from './ascii-rows';
import type { Catalog } from './catalog';
import { DueCalendar } from './due-calendar';
import { meanOneLognormal } from './lognormal';
import type { ResolvedSynthOptions } from './options';
import { encodeItemPieces, SessionPrefixes } from './row-pieces';
import { SessionLengthSampler } from './session-length';
import type { UserPopulation } from './users';
// Bound once per module: in a vm context (jest) every lookup of a global such as `Math` costs ~0.4 µs.
const { round } = Math;

const VIEW = lastField('view');
const CLICK = lastField('click');
const BUY = lastField('buy');
/** Bound on one row's length: four ids below 2^31, a timestamp below 2^53, an event. */
const MAX_ROW_BYTES = 4 * 11 + 17 + 6;
const NO_BUY = -1;

// Slot state, `slotStride` numbers per slot; the user's favourite categories follow FAVOURITES.
const USER = 0;
const ROWS_LEFT = 1;
const FOCUS = 2;
/** meanGap in ms times the session's pace. */
const GAP_SCALE = 3;
const PENDING_BUY = 4;
const CLICK_IF_FAVOURITE = 5;
const CLICK_OTHERWISE = 6;
const FAVOURITES = 7;

// Item table, 4 numbers per item: category, click quality, and where its `item,category,` bytes are.
const ITEM_STRIDE = 4;
const CATEGORY = 0;
const QUALITY = 1;
const PIECE_START = 2;
const PIECE_END = 3;

/** Running totals of what the timeline has written so far. */
export interface TimelineCounts {
  events: number;
  sessions: number;
  activeUsers: number;
  itemsUsed: number;
  clicks: number;
  buys: number;
  firstTimestamp: number;
  lastTimestamp: number;
}

export class SessionTimeline {
  readonly #options: ResolvedSynthOptions;
  readonly #catalog: Catalog;
  readonly #users: UserPopulation;
  readonly #rng: Rng;
  readonly #lengths: SessionLengthSampler;
  readonly #queue: DueCalendar;
  readonly #slotStride: number;
  readonly #slots: Float64Array;
  readonly #prefixes: SessionPrefixes;
  readonly #items: Float64Array;
  readonly #itemPieces: Uint8Array;
  readonly #rows: AsciiRows;
  // First-appearance marks, for the active user and item counts.
  readonly #userSeen: Uint8Array;
  readonly #itemSeen: Uint8Array;
  /** Rows promised to sessions started so far: never more than `events`. */
  #committed = 0;
  readonly #counts: TimelineCounts = {
    events: 0,
    sessions: 0,
    activeUsers: 0,
    itemsUsed: 0,
    clicks: 0,
    buys: 0,
    firstTimestamp: Number.NaN,
    lastTimestamp: Number.NaN,
  };

  constructor(options: ResolvedSynthOptions, catalog: Catalog, users: UserPopulation, rng: Rng) {
    this.#options = options;
    this.#catalog = catalog;
    this.#users = users;
    this.#rng = rng;
    this.#lengths = new SessionLengthSampler(options.meanSessionLength, options.sessionLengthSigma);
    const slots = options.concurrentSessions;
    this.#queue = calendarFor(options);
    this.#slotStride = FAVOURITES + users.favouritesPerUser;
    this.#slots = new Float64Array(slots * this.#slotStride);
    this.#prefixes = new SessionPrefixes(slots);
    const pieces = encodeItemPieces(catalog);
    this.#itemPieces = pieces.bytes;
    this.#items = new Float64Array(catalog.items * ITEM_STRIDE);
    for (let i = 0; i < catalog.items; i++) {
      this.#items[i * ITEM_STRIDE + CATEGORY] = catalog.itemCategory[i];
      this.#items[i * ITEM_STRIDE + QUALITY] = catalog.quality[i];
      this.#items[i * ITEM_STRIDE + PIECE_START] = pieces.offsets[i];
      this.#items[i * ITEM_STRIDE + PIECE_END] = pieces.offsets[i + 1];
    }
    this.#rows = new AsciiRows(options.chunkBytes);
    this.#userSeen = new Uint8Array(users.users);
    this.#itemSeen = new Uint8Array(catalog.items);

    // Every slot opens at once, its first row one gap after the start: the log is at full
    // concurrency from its first rows instead of ramping up.
    for (let slot = 0; slot < slots && this.#committed < options.events; slot++) {
      this.#startSession(slot);
      this.#queue.push(options.startTime + this.#gapAfter(slot), slot);
    }
    if (this.#queue.size > 0) this.#counts.firstTimestamp = this.#queue.topTime;
  }

  get done(): boolean {
    return this.#queue.size === 0;
  }

  /** A snapshot of the running totals. */
  get counts(): TimelineCounts {
    return { ...this.#counts };
  }

  /** CSV rows (no header) until the text reaches `minChars` or the log ends; '' once it has ended. */
  nextRows(minChars: number): string {
    const queue = this.#queue;
    const catalog = this.#catalog;
    const rng = this.#rng;
    const rows = this.#rows;
    const slots = this.#slots;
    const stride = this.#slotStride;
    const items = this.#items;
    const itemPieces = this.#itemPieces;
    const itemSeen = this.#itemSeen;
    const prefixBytes = this.#prefixes.bytes;
    const prefixLengths = this.#prefixes.lengths;
    const favouriteShare = this.#options.favouriteShare;
    const buyRate = this.#options.buyRate;
    const counts = this.#counts;
    while (rows.length < minChars && queue.size > 0) {
      const slot = queue.topSlot;
      const time = queue.dueTime(slot);
      const at = slot * stride;
      let item = slots[at + PENDING_BUY];
      let event: Uint8Array;
      if (item !== NO_BUY) {
        event = BUY;
        counts.buys++;
        slots[at + PENDING_BUY] = NO_BUY;
      } else {
        item = rng.nextFloat() < favouriteShare ? catalog.drawItemIn(slots[at + FOCUS], rng) : catalog.drawItem(rng);
        const category = items[item * ITEM_STRIDE + CATEGORY];
        let click = slots[at + CLICK_OTHERWISE];
        for (let f = at + FAVOURITES; f < at + stride; f++) {
          if (slots[f] === category) click = slots[at + CLICK_IF_FAVOURITE];
        }
        if (rng.nextFloat() < click * items[item * ITEM_STRIDE + QUALITY]) {
          event = CLICK;
          counts.clicks++;
          if (rng.nextFloat() < buyRate) slots[at + PENDING_BUY] = item;
        } else {
          event = VIEW;
        }
      }
      if (itemSeen[item] === 0) {
        itemSeen[item] = 1;
        counts.itemsUsed++;
      }
      rows.reserve(MAX_ROW_BYTES);
      const prefixStart = slot * SessionPrefixes.stride;
      rows.append(prefixBytes, prefixStart, prefixStart + prefixLengths[slot]);
      rows.append(itemPieces, items[item * ITEM_STRIDE + PIECE_START], items[item * ITEM_STRIDE + PIECE_END]);
      rows.timestampField(time);
      rows.append(event, 0, event.length);
      counts.events++;
      counts.lastTimestamp = time;

      const rowsLeft = --slots[at + ROWS_LEFT];
      if (rowsLeft === 0 && slots[at + PENDING_BUY] !== NO_BUY) this.#extendForBuy(at);
      if (slots[at + ROWS_LEFT] === 0) {
        this.#users.liveSessions[slots[at + USER]]--;
        if (this.#committed < this.#options.events) {
          this.#startSession(slot);
        } else {
          queue.pop();
          continue;
        }
      }
      queue.rescheduleTop(time + this.#gapAfter(slot));
    }
    return rows.take();
  }

  /** A click on a session's last row still gets its buy, as one extra row, while the budget lasts. */
  #extendForBuy(at: number): void {
    if (this.#committed < this.#options.events) {
      this.#committed++;
      this.#slots[at + ROWS_LEFT] = 1;
    } else {
      this.#slots[at + PENDING_BUY] = NO_BUY;
    }
  }

  /** Milliseconds from a row of the slot's session to its next; at least 1, so a session's timestamps strictly increase. */
  #gapAfter(slot: number): number {
    const scale = this.#slots[slot * this.#slotStride + GAP_SCALE];
    const gap = round(scale * meanOneLognormal(this.#options.gapSigma, this.#rng));
    return gap > 1 ? gap : 1;
  }

  #startSession(slot: number): void {
    const rng = this.#rng;
    const users = this.#users;
    const options = this.#options;
    const user = users.drawUser(rng);
    const rows = Math.min(this.#lengths.draw(rng), options.events - this.#committed);
    this.#committed += rows;
    const counts = this.#counts;
    const at = slot * this.#slotStride;
    const slots = this.#slots;
    slots[at + USER] = user;
    slots[at + ROWS_LEFT] = rows;
    slots[at + FOCUS] = users.drawFocus(user, rng);
    slots[at + GAP_SCALE] = options.meanGapSeconds * 1000 * meanOneLognormal(options.paceSigma, rng);
    slots[at + PENDING_BUY] = NO_BUY;
    slots[at + CLICK_IF_FAVOURITE] = users.clickIfFavourite[user];
    slots[at + CLICK_OTHERWISE] = users.clickOtherwise[user];
    const perUser = users.favouritesPerUser;
    for (let f = 0; f < perUser; f++) slots[at + FAVOURITES + f] = users.favourites[user * perUser + f];
    this.#prefixes.set(slot, ++counts.sessions, user + 1);
    users.liveSessions[user]++;
    if (this.#userSeen[user] === 0) {
      this.#userSeen[user] = 1;
      counts.activeUsers++;
    }
  }
}

/**
 * Buckets of about four rows at full concurrency (C / meanGap rows per ms), and a ring spanning
 * 32 mean gaps: with the default sigmas about one gap in ten thousand goes past it, to the
 * overflow heap. At most 2^22 buckets (16 MB).
 */
function calendarFor(options: ResolvedSynthOptions): DueCalendar {
  const meanGapMs = options.meanGapSeconds * 1000;
  const slots = options.concurrentSessions;
  const width = Math.max(1, Math.round((4 * meanGapMs) / slots));
  const wanted = Math.min(1 << 22, Math.max(1024, Math.ceil((32 * meanGapMs) / width)));
  const buckets = 2 ** Math.ceil(Math.log2(wanted));
  return new DueCalendar(slots, width, buckets, options.startTime);
}
