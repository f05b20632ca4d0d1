/**
 * The item catalog: Zipf popularity over shuffled ids, one category per item, and a per-item click
 * quality. Inside the generator an item is addressed by its popularity rank (0 is the most
 * popular), so the per-item arrays are hottest at their start and stay in cache; `itemId` maps a
 * rank to the public id, a random permutation of 1..items, so id order says nothing about popularity.
 */
import type { Rng } from '@recd/core';
import { AliasSampler } from './alias-sampler';
import { meanOneLognormal } from './lognormal';

export interface CatalogOptions {
  items: number;
  categories: number;
  itemZipf: number;
  itemQualitySigma: number;
}

export class Catalog {
  readonly items: number;
  readonly categories: number;
  /** Public id (1-based) of the item at each popularity rank. */
  readonly itemId: Int32Array;
  /** Category index of each item. */
  readonly itemCategory: Int32Array;
  /** Click multiplier of each item; its popularity-weighted mean within every category is 1. */
  readonly quality: Float64Array;
  /** Share of all popularity that falls in each category (sums to 1). */
  readonly categoryMass: Float64Array;
  /** Item indices grouped by category: category c holds `categoryItems[offsets[c] .. offsets[c + 1]]`. */
  readonly categoryItems: Int32Array;
  readonly #global: AliasSampler;
  readonly #byCategory: AliasSampler;

  private constructor(init: {
    itemId: Int32Array;
    itemCategory: Int32Array;
    quality: Float64Array;
    categoryMass: Float64Array;
    categoryItems: Int32Array;
    global: AliasSampler;
    byCategory: AliasSampler;
  }) {
    this.items = init.itemCategory.length;
    this.categories = init.categoryMass.length;
    this.itemId = init.itemId;
    this.itemCategory = init.itemCategory;
    this.quality = init.quality;
    this.categoryMass = init.categoryMass;
    this.categoryItems = init.categoryItems;
    this.#global = init.global;
    this.#byCategory = init.byCategory;
  }

  static generate(options: CatalogOptions, rng: Rng): Catalog {
    const { items, categories } = options;
    const itemId = new Int32Array(items);
    for (let i = 0; i < items; i++) itemId[i] = i + 1;
    rng.shuffle(itemId);
    const popularity = new Float64Array(items);
    for (let i = 0; i < items; i++) popularity[i] = Math.pow(i + 1, -options.itemZipf);

    // Every category gets one item first, so none is empty; the rest land uniformly at random.
    const itemCategory = new Int32Array(items);
    const order = new Int32Array(items);
    for (let i = 0; i < items; i++) order[i] = i;
    rng.shuffle(order);
    for (let k = 0; k < items; k++) itemCategory[order[k]] = k < categories ? k : rng.nextInt(categories);

    const offsets = new Int32Array(categories + 1);
    for (let i = 0; i < items; i++) offsets[itemCategory[i] + 1]++;
    for (let c = 0; c < categories; c++) offsets[c + 1] += offsets[c];
    const categoryItems = new Int32Array(items);
    const fill = offsets.slice(0, categories);
    for (let i = 0; i < items; i++) categoryItems[fill[itemCategory[i]]++] = i;

    let totalPopularity = 0;
    for (let i = 0; i < items; i++) totalPopularity += popularity[i];
    const categoryMass = new Float64Array(categories);
    for (let i = 0; i < items; i++) categoryMass[itemCategory[i]] += popularity[i] / totalPopularity;

    const quality = new Float64Array(items);
    for (let i = 0; i < items; i++) quality[i] = meanOneLognormal(options.itemQualitySigma, rng);
    normalizeQualityPerCategory(quality, popularity, categoryItems, offsets);

    const groupedPopularity = new Float64Array(items);
    for (let k = 0; k < items; k++) groupedPopularity[k] = popularity[categoryItems[k]];
    return new Catalog({
      itemId,
      itemCategory,
      quality,
      categoryMass,
      categoryItems,
      global: AliasSampler.fromWeights(popularity),
      byCategory: AliasSampler.fromSegments(groupedPopularity, offsets, categoryItems),
    });
  }

  /** An item (rank) drawn by popularity over the whole catalog. */
  drawItem(rng: Rng): number {
    return this.#global.draw(rng);
  }

  /** An item (rank) drawn by popularity among the items of one category. */
  drawItemIn(category: number, rng: Rng): number {
    return this.#byCategory.drawIn(category, rng);
  }
}

/**
 * Scales quality so that, within each category, the popularity-weighted mean is 1: an impression
 * drawn by popularity (from the whole catalog or from one category) then has expected quality 1,
 * and the click rate stays where `clickRate` puts it.
 */
function normalizeQualityPerCategory(
  quality: Float64Array,
  popularity: Float64Array,
  categoryItems: Int32Array,
  offsets: Int32Array,
): void {
  for (let c = 0; c + 1 < offsets.length; c++) {
    let weighted = 0;
    let total = 0;
    for (let k = offsets[c]; k < offsets[c + 1]; k++) {
      const item = categoryItems[k];
      weighted += popularity[item] * quality[item];
      total += popularity[item];
    }
    const scale = total / weighted;
    for (let k = offsets[c]; k < offsets[c + 1]; k++) quality[categoryItems[k]] *= scale;
  }
}
