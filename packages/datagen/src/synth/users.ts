/**
 * The user population: heavy-tailed activity (who starts the next session), a few favourite
 * categories per user (what their sessions are about), and click probabilities calibrated per user
 * so that the overall click rate is `clickRate` while favourite-category items get `preferenceLift`
 * times the click odds of the rest. Users are addressed by index (id - 1).
 */
import type { Rng } from '@recd/core';
import { AliasSampler } from './alias-sampler';
import type { Catalog } from './catalog';
import { meanOneLognormal } from './lognormal';

export interface UserOptions {
  users: number;
  userActivitySigma: number;
  favouriteCategories: number;
  favouriteShare: number;
  preferenceLift: number;
  clickRate: number;
  userClickSigma: number;
}

/** Draws of a user that is already in a live session before one is accepted anyway. */
const BUSY_USER_RETRIES = 8;

export class UserPopulation {
  readonly users: number;
  readonly favouritesPerUser: number;
  /** Favourite category indices, `favouritesPerUser` per user, most favourite first. */
  readonly favourites: Int32Array;
  /** Click probability of an item of quality 1 in one of the user's favourite categories. */
  readonly clickIfFavourite: Float64Array;
  /** Click probability of an item of quality 1 in any other category. */
  readonly clickOtherwise: Float64Array;
  /** Sessions each user has live right now. */
  readonly liveSessions: Int32Array;
  readonly #activity: AliasSampler;
  /** Cumulative focus weights over favourite ranks (1, 1/2, 1/3, ... normalized). */
  readonly #focusCumulative: Float64Array;

  private constructor(init: {
    favouritesPerUser: number;
    favourites: Int32Array;
    clickIfFavourite: Float64Array;
    clickOtherwise: Float64Array;
    activity: AliasSampler;
  }) {
    this.users = init.clickIfFavourite.length;
    this.favouritesPerUser = init.favouritesPerUser;
    this.favourites = init.favourites;
    this.clickIfFavourite = init.clickIfFavourite;
    this.clickOtherwise = init.clickOtherwise;
    this.liveSessions = new Int32Array(this.users);
    this.#activity = init.activity;
    this.#focusCumulative = new Float64Array(init.favouritesPerUser);
    let total = 0;
    for (let r = 0; r < init.favouritesPerUser; r++) total += 1 / (r + 1);
    let running = 0;
    for (let r = 0; r < init.favouritesPerUser; r++) this.#focusCumulative[r] = (running += 1 / (r + 1) / total);
  }

  static generate(options: UserOptions, catalog: Catalog, rng: Rng): UserPopulation {
    const { users, favouriteCategories: perUser } = options;
    const activity = new Float64Array(users);
    for (let u = 0; u < users; u++) activity[u] = meanOneLognormal(options.userActivitySigma, rng);

    const favourites = new Int32Array(users * perUser);
    const categorySampler = AliasSampler.fromWeights(catalog.categoryMass);
    for (let u = 0; u < users; u++) drawFavourites(favourites, u * perUser, perUser, catalog.categories, categorySampler, rng);

    // Propensity is normalized over activity, so the click rate holds in expectation over sessions.
    const propensity = new Float64Array(users);
    let weighted = 0;
    let totalActivity = 0;
    for (let u = 0; u < users; u++) {
      propensity[u] = meanOneLognormal(options.userClickSigma, rng);
      weighted += activity[u] * propensity[u];
      totalActivity += activity[u];
    }
    const clickIfFavourite = new Float64Array(users);
    const clickOtherwise = new Float64Array(users);
    for (let u = 0; u < users; u++) {
      // Share of this user's impressions that fall in a favourite category: the focus draws, plus
      // the popularity draws that happen to land in one.
      let favouriteMass = 0;
      for (let r = 0; r < perUser; r++) favouriteMass += catalog.categoryMass[favourites[u * perUser + r]];
      const share = options.favouriteShare + (1 - options.favouriteShare) * favouriteMass;
      const otherwise = 1 / (share * options.preferenceLift + (1 - share));
      const base = (options.clickRate * propensity[u] * totalActivity) / weighted;
      clickIfFavourite[u] = base * options.preferenceLift * otherwise;
      clickOtherwise[u] = base * otherwise;
    }
    return new UserPopulation({
      favouritesPerUser: perUser,
      favourites,
      clickIfFavourite,
      clickOtherwise,
      activity: AliasSampler.fromWeights(activity),
    });
  }

  /**
   * The user of a new session, by activity. A user already in a live session is redrawn a few
   * times (one person rarely runs two sessions at once), then accepted when the population is too
   * small for the concurrency.
   */
  drawUser(rng: Rng): number {
    let user = this.#activity.draw(rng);
    for (let retry = 0; retry < BUSY_USER_RETRIES && this.liveSessions[user] > 0; retry++) user = this.#activity.draw(rng);
    return user;
  }

  /** The category a session of `user` focuses on: favourite rank r with weight 1 / (r + 1). */
  drawFocus(user: number, rng: Rng): number {
    const u = rng.nextFloat();
    let r = 0;
    while (r < this.favouritesPerUser - 1 && u >= this.#focusCumulative[r]) r++;
    return this.favourites[user * this.favouritesPerUser + r];
  }
}

/** Distinct categories by popularity; rejection first, then uniform among the rest if popularity is too concentrated. */
function drawFavourites(
  into: Int32Array,
  start: number,
  count: number,
  categories: number,
  sampler: AliasSampler,
  rng: Rng,
): void {
  for (let r = 0; r < count; r++) {
    let category = sampler.draw(rng);
    for (let attempt = 0; attempt < 64 && contains(into, start, start + r, category); attempt++) category = sampler.draw(rng);
    while (contains(into, start, start + r, category)) category = rng.nextInt(categories);
    into[start + r] = category;
  }
}

function contains(array: Int32Array, start: number, end: number, value: number): boolean {
  for (let i = start; i < end; i++) if (array[i] === value) return true;
  return false;
}
