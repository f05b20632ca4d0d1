/** Duplication within consecutive batches of one size. */
export interface BatchDuplication {
  batchSize: number;
  /** Batches counted (the last batch of each shard may be partial). */
  batches: number;
  meanUniqueRows: number;
  /** Samples over unique rows summed over batches: batchSize / meanUniqueRows when every batch is full. */
  samplesPerUniqueRow: number;
}

interface BatchCount {
  size: number;
  /** Per row number, the last batch it was seen in (batch numbers start at 1). */
  seenIn: Int32Array;
  batch: number;
  filled: number;
  uniqueInBatch: number;
  batches: number;
  uniqueRows: number;
}

/**
 * Unique rows within consecutive batches of each size, from row numbers (equal rows, equal
 * numbers; see RowNumbering): a row is new to a batch when its number was not yet stamped with
 * that batch. Memory: 4 bytes per distinct row per batch size; no hashing.
 */
export class BatchUniqueCounter {
  readonly #perSize: BatchCount[];
  #rows = 0;

  constructor(batchSizes: readonly number[]) {
    this.#perSize = batchSizes.map((size) => ({ size, seenIn: new Int32Array(1024), batch: 1, filled: 0, uniqueInBatch: 0, batches: 0, uniqueRows: 0 }));
  }

  /** Adds rows in stored order, given by their numbers. */
  add(numbers: Int32Array): void {
    for (const count of this.#perSize) {
      for (let i = 0; i < numbers.length; i++) {
        const number = numbers[i];
        if (number >= count.seenIn.length) count.seenIn = grow(count.seenIn, number + 1);
        if (count.seenIn[number] !== count.batch) {
          count.seenIn[number] = count.batch;
          count.uniqueInBatch++;
        }
        if (++count.filled === count.size) closeBatch(count);
      }
    }
    this.#rows += numbers.length;
  }

  /** Closes the partial batches: a batch never spans two shards. */
  endShard(): void {
    for (const count of this.#perSize) if (count.filled > 0) closeBatch(count);
  }

  result(): BatchDuplication[] {
    this.endShard();
    return this.#perSize.map(({ size, batches, uniqueRows }) => ({
      batchSize: size,
      batches,
      meanUniqueRows: ratio(uniqueRows, batches),
      samplesPerUniqueRow: ratio(this.#rows, uniqueRows),
    }));
  }
}

function closeBatch(count: BatchCount): void {
  count.batches++;
  count.uniqueRows += count.uniqueInBatch;
  count.uniqueInBatch = 0;
  count.filled = 0;
  count.batch++;
}

function grow(array: Int32Array, needed: number): Int32Array {
  let capacity = array.length;
  while (capacity < needed) capacity *= 2;
  const grown = new Int32Array(capacity);
  grown.set(array);
  return grown;
}

export function ratio(a: number, b: number): number {
  return b === 0 ? 0 : a / b;
}
