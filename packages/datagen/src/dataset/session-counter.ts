import { DistinctRowSet, hashWords } from './distinct-rows';
import { RowNumbering } from './row-numbering';
import { wordColumnOf } from './row-words';
import type { SampleColumn } from './sample-chunk';

/**
 * Exact count of distinct session ids per shard and over the dataset, whatever the row order
 * (counting changes between consecutive ids would be wrong for time or random order). Ids are
 * numbered once over the dataset; each shard keeps the set of numbers it has seen. Memory: about
 * 30 bytes per distinct session plus 16 per distinct (shard, session) pair.
 */
export class SessionCounter {
  readonly #numbering = new RowNumbering();
  readonly #perShard: DistinctRowSet[];
  readonly #word = new Int32Array(1);

  constructor(shards: number) {
    this.#perShard = Array.from({ length: shards }, () => new DistinctRowSet());
  }

  /** Adds the session ids of `rows` samples written to `shard`. */
  add(shard: number, sessionIds: SampleColumn, rows: number): void {
    const numbers = this.#numbering.number([wordColumnOf(sessionIds)], rows);
    const seen = this.#perShard[shard];
    const word = this.#word;
    for (let i = 0; i < rows; i++) {
      if (i > 0 && numbers[i] === numbers[i - 1]) continue;
      word[0] = numbers[i];
      seen.add(word, 1, hashWords(word, 1));
    }
  }

  get perShard(): number[] {
    return this.#perShard.map((set) => set.size);
  }

  get total(): number {
    return this.#numbering.distinct;
  }
}
