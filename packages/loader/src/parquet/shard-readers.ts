/**
 * The open shards of one iteration: each shard's footer is read and parsed once, not once per row
 * group. A ShardReader holds a file-backed Blob, not a descriptor, so keeping it open costs no file
 * handle, and a file changed since fails to read rather than mixing versions. The most recently
 * used `capacity` shards are kept.
 */
import type { ShardShape } from './shard-shape';
import { ColumnSpec, ShardReader } from './shard-reader';

export class ShardReaders {
  readonly #capacity: number;
  readonly #open = new Map<string, Promise<ShardReader>>();

  constructor(capacity = 16) {
    this.#capacity = capacity;
  }

  /** The reader of `path` (opened and checked against `expected` on first use; a failed open is retried next time). */
  open(path: string, columns: readonly ColumnSpec[], expected: ShardShape): Promise<ShardReader> {
    let reader = this.#open.get(path);
    if (reader !== undefined) {
      this.#open.delete(path); // re-inserted last: most recently used
    } else {
      const opening = ShardReader.open(path, columns, expected);
      opening.catch(() => {
        if (this.#open.get(path) === opening) this.#open.delete(path);
      });
      reader = opening;
      if (this.#open.size >= this.#capacity) this.#open.delete(this.#open.keys().next().value!);
    }
    this.#open.set(path, reader);
    return reader;
  }
}
