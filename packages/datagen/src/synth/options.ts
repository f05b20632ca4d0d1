/**
 * Options of the synthetic log generator (`recd synth`), their defaults, and their resolution into
 * the checked, fully derived values the generator runs on. docs/synthetic-logs.md explains each
 * distribution; the one-line comments here say what each knob moves.
 */

export interface SynthOptions {
  /** Rows in the log, header excluded (default 200,000). */
  events?: number;
  /** Distinct users to draw sessions from (default: round(events / 40), at least 1). */
  users?: number;
  /** Catalog size (default 50,000). Item ids are 1..items. */
  items?: number;
  /** Categories (default 500, at most `items`); every item belongs to exactly one, every category has an item. */
  categories?: number;
  /** Zipf exponent of item popularity over the whole catalog (default 1.0; 0 is uniform). */
  itemZipf?: number;
  /** Sigma of the lognormal user activity weights: larger means a heavier tail of returning users (default 1.0). */
  userActivitySigma?: number;
  /** Target mean rows per session (default 10, at least 1). */
  meanSessionLength?: number;
  /** Sigma of the lognormal behind session lengths (default 1.0; 0 gives every session round(meanSessionLength) rows). */
  sessionLengthSigma?: number;
  /** Favourite categories per user (default 3, capped at `categories`). */
  favouriteCategories?: number;
  /** Share of impressions drawn from the session's focus category, one of the user's favourites (default 0.6). */
  favouriteShare?: number;
  /** Click odds of an item in one of the user's favourite categories versus any other item (default 5). */
  preferenceLift?: number;
  /** Mean click probability of an impression (default 0.08). */
  clickRate?: number;
  /** Probability that a click is followed by a buy of the same item in the same session (default 0.1). */
  buyRate?: number;
  /** Sigma of the mean-one lognormal per-item click quality (default 0.5). */
  itemQualitySigma?: number;
  /** Sigma of the mean-one lognormal per-user click propensity (default 0.5). */
  userClickSigma?: number;
  /** Sessions live at once: how interleaved the time-ordered log is (default 10,000). */
  concurrentSessions?: number;
  /** Epoch milliseconds at which the log starts (default 2026-01-01T00:00:00Z). */
  startTime?: number;
  /** Mean seconds between consecutive rows of one session (default 30). Exclusive with `durationDays`. */
  meanGapSeconds?: number;
  /**
   * Approximate span of the log in days; when given, the mean in-session gap is derived from it
   * (`meanGapSeconds = durationDays * 86400 * concurrentSessions / events`). Exclusive with `meanGapSeconds`.
   */
  durationDays?: number;
  /** Sigma of the mean-one lognormal in-session gap (default 1.0). */
  gapSigma?: number;
  /** Sigma of the mean-one lognormal per-session pace that scales all of a session's gaps (default 0.5). */
  paceSigma?: number;
  /** Seed, an unsigned 32-bit integer: the same options give byte-identical output (default 1). */
  seed?: number;
  /** Characters per chunk handed to the writer (default 65,536); the output does not depend on it. */
  chunkBytes?: number;
}

/** Every option with a fixed default. `users` and `durationDays` have none: see their docs. */
export const DEFAULT_SYNTH_OPTIONS = Object.freeze({
  events: 200_000,
  items: 50_000,
  categories: 500,
  itemZipf: 1.0,
  userActivitySigma: 1.0,
  meanSessionLength: 10,
  sessionLengthSigma: 1.0,
  favouriteCategories: 3,
  favouriteShare: 0.6,
  preferenceLift: 5,
  clickRate: 0.08,
  buyRate: 0.1,
  itemQualitySigma: 0.5,
  userClickSigma: 0.5,
  concurrentSessions: 10_000,
  startTime: Date.UTC(2026, 0, 1),
  meanGapSeconds: 30,
  gapSigma: 1.0,
  paceSigma: 0.5,
  seed: 1,
  chunkBytes: 65_536,
} satisfies SynthOptions);

/** Options with every default applied and every derived value computed. */
export type ResolvedSynthOptions = Required<Omit<SynthOptions, 'durationDays'>> & { durationDays: number | undefined };

/** Users per event when `users` is not given: 40 events per user, about 4 sessions each at the default length. */
export const EVENTS_PER_USER = 40;

const MAX_INT32 = 2 ** 31 - 1;

/** Applies defaults, derives `users` and the gap from `durationDays`, and checks every value (RangeError). */
export function resolveSynthOptions(options: SynthOptions = {}): ResolvedSynthOptions {
  const d = DEFAULT_SYNTH_OPTIONS;
  const events = integer('events', options.events ?? d.events, 1, MAX_INT32);
  const items = integer('items', options.items ?? d.items, 1, MAX_INT32);
  const categories = integer('categories', options.categories ?? d.categories, 1, items);
  const concurrentSessions = integer('concurrentSessions', options.concurrentSessions ?? d.concurrentSessions, 1, 1 << 24);
  if (options.durationDays !== undefined && options.meanGapSeconds !== undefined) {
    throw new RangeError('give either durationDays or meanGapSeconds, not both: one is derived from the other');
  }
  const durationDays = options.durationDays === undefined ? undefined : real('durationDays', options.durationDays, 1e-9, 1e6);
  const meanGapSeconds =
    durationDays === undefined
      ? real('meanGapSeconds', options.meanGapSeconds ?? d.meanGapSeconds, 1e-3, 1e9)
      : (durationDays * 86_400 * concurrentSessions) / events;
  return {
    events,
    users: integer('users', options.users ?? Math.max(1, Math.round(events / EVENTS_PER_USER)), 1, MAX_INT32),
    items,
    categories,
    itemZipf: real('itemZipf', options.itemZipf ?? d.itemZipf, 0, 10),
    userActivitySigma: real('userActivitySigma', options.userActivitySigma ?? d.userActivitySigma, 0, 4),
    meanSessionLength: real('meanSessionLength', options.meanSessionLength ?? d.meanSessionLength, 1, 1e6),
    sessionLengthSigma: real('sessionLengthSigma', options.sessionLengthSigma ?? d.sessionLengthSigma, 0, 2.5),
    favouriteCategories: Math.min(
      categories,
      integer('favouriteCategories', options.favouriteCategories ?? d.favouriteCategories, 1, 1000),
    ),
    favouriteShare: real('favouriteShare', options.favouriteShare ?? d.favouriteShare, 0, 1),
    preferenceLift: real('preferenceLift', options.preferenceLift ?? d.preferenceLift, 1, 1e6),
    clickRate: real('clickRate', options.clickRate ?? d.clickRate, 0, 1),
    buyRate: real('buyRate', options.buyRate ?? d.buyRate, 0, 1),
    itemQualitySigma: real('itemQualitySigma', options.itemQualitySigma ?? d.itemQualitySigma, 0, 3),
    userClickSigma: real('userClickSigma', options.userClickSigma ?? d.userClickSigma, 0, 3),
    concurrentSessions,
    startTime: integer('startTime', options.startTime ?? d.startTime, 0, 8.64e15),
    meanGapSeconds,
    durationDays,
    gapSigma: real('gapSigma', options.gapSigma ?? d.gapSigma, 0, 3),
    paceSigma: real('paceSigma', options.paceSigma ?? d.paceSigma, 0, 3),
    seed: integer('seed', options.seed ?? d.seed, 0, 2 ** 32 - 1),
    chunkBytes: integer('chunkBytes', options.chunkBytes ?? d.chunkBytes, 1, 1 << 28),
  };
}

function integer(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer in ${min} .. ${max}, got ${value}`);
  }
  return value;
}

function real(name: string, value: number, min: number, max: number): number {
  if (typeof value !== 'number' || !(value >= min && value <= max)) {
    throw new RangeError(`${name} must be a number in ${min} .. ${max}, got ${value}`);
  }
  return value;
}
