import { BatchDuplication, BatchUniqueCounter, ratio } from './batch-uniques';
import { RowNumbering } from './row-numbering';
import { WordColumn, wordColumnOf } from './row-words';
import type { SampleColumn } from './sample-chunk';

/** How often the rows of some keys (one feature, or a whole dedup group) repeat. */
export interface DuplicationStats {
  /** The feature name, or the dedup group's name. */
  name: string;
  keys: string[];
  /** Distinct rows over the whole dataset (exact; a list row is the whole list). */
  distinct: number;
  /** Samples per distinct row over the whole dataset. */
  samplesPerDistinct: number;
  batches: BatchDuplication[];
}

interface Counted {
  name: string;
  keys: string[];
  numbering: RowNumbering;
  batches: BatchUniqueCounter;
}

/**
 * Duplication of a dataset's session-constant features, each alone and each dedup group jointly,
 * over the whole dataset and within consecutive batches (restarting at each shard: `endShard`).
 * Each feature's rows are numbered by exact value; a group's row is the tuple of its features'
 * numbers, so a group costs a few words per row however long its lists. Memory: the distinct
 * values of each feature and group, not the dataset.
 */
export class DuplicationCounter {
  readonly #features: Counted[];
  readonly #groups: Counted[];
  #rows = 0;

  /** `groups`: dedup group name -> its feature names. */
  constructor(groups: ReadonlyMap<string, readonly string[]>, batchSizes: readonly number[]) {
    const counted = (name: string, keys: readonly string[]): Counted => ({ name, keys: [...keys], numbering: new RowNumbering(), batches: new BatchUniqueCounter(batchSizes) });
    this.#features = [...groups.values()].flat().map((key) => counted(key, [key]));
    this.#groups = [...groups].map(([name, keys]) => counted(name, keys));
  }

  /** The columns to read: every feature of every group. */
  get columns(): string[] {
    return this.#features.map((feature) => feature.name);
  }

  /** Adds `rows` rows in stored order; `columns` holds (at least) every feature of every group. */
  add(columns: ReadonlyMap<string, SampleColumn>, rows: number): void {
    const numbers = new Map<string, WordColumn>();
    for (const feature of this.#features) {
      const featureNumbers = feature.numbering.number([wordColumnOf(columns.get(feature.name)!)], rows);
      feature.batches.add(featureNumbers);
      numbers.set(feature.name, { words: featureNumbers, width: 1, offsets: undefined });
    }
    for (const group of this.#groups) {
      group.batches.add(group.numbering.number(group.keys.map((key) => numbers.get(key)!), rows));
    }
    this.#rows += rows;
  }

  /** Closes the partial batches: a batch never spans two shards. */
  endShard(): void {
    for (const counted of [...this.#features, ...this.#groups]) counted.batches.endShard();
  }

  result(): { features: DuplicationStats[]; groups: DuplicationStats[] } {
    const stats = ({ name, keys, numbering, batches }: Counted): DuplicationStats => ({
      name,
      keys,
      distinct: numbering.distinct,
      samplesPerDistinct: ratio(this.#rows, numbering.distinct),
      batches: batches.result(),
    });
    return { features: this.#features.map(stats), groups: this.#groups.map(stats) };
  }
}
