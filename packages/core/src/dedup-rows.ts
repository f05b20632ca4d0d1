import { GroupWords, hashRow, rowsEqual } from './row-hash';

export interface RowDedupResult {
  /** Row index of the first occurrence of each unique row, in first-occurrence order. */
  uniqueRows: Int32Array;
  /** For every row, the index of its unique row. */
  inverse: Int32Array;
}

/**
 * Exact row deduplication with an open-addressing hash table. Rows whose hashes match are
 * compared word by word before they are merged, so a hash collision never joins two different
 * rows. Scratch buffers grow by doubling and are reused across calls.
 *
 * Session-clustered batches put the samples of a session next to each other, so most rows equal
 * the row before them. Each row is therefore first compared with the previous row: when equal it
 * takes the same unique row without being hashed. Only rows that differ from their predecessor
 * are hashed and looked up. The result is the same either way (equality is exact).
 */
export class RowDeduper {
  #table = new Int32Array(0);
  #uniqueHash = new Int32Array(0);
  #uniqueRow = new Int32Array(0);

  /**
   * @param hashMask keeps only these bits of each row hash. Only for tests: 0 makes every row
   *   collide, which shows that exactness does not rest on the hash.
   */
  dedup(group: GroupWords, hashMask = -1): RowDedupResult {
    const rows = group.rows;
    this.#reserve(rows);
    const table = this.#table;
    const tableMask = table.length - 1;
    table.fill(-1);
    const uniqueHash = this.#uniqueHash;
    const uniqueRow = this.#uniqueRow;
    const inverse = new Int32Array(rows);
    let numUnique = 0;
    for (let row = 0; row < rows; row++) {
      if (row > 0 && rowsEqual(group, row - 1, row)) {
        inverse[row] = inverse[row - 1];
        continue;
      }
      const hash = hashRow(group, row) & hashMask;
      let slot = hash & tableMask;
      let found = -1;
      for (let candidate = table[slot]; candidate !== -1; candidate = table[slot]) {
        if (uniqueHash[candidate] === hash && rowsEqual(group, uniqueRow[candidate], row)) {
          found = candidate;
          break;
        }
        slot = (slot + 1) & tableMask;
      }
      if (found === -1) {
        found = numUnique++;
        table[slot] = found;
        uniqueHash[found] = hash;
        uniqueRow[found] = row;
      }
      inverse[row] = found;
    }
    return { uniqueRows: uniqueRow.slice(0, numUnique), inverse };
  }

  #reserve(rows: number): void {
    if (this.#uniqueRow.length >= rows && this.#table.length >= 2 * rows) return;
    let capacity = 16;
    while (capacity < 2 * rows) capacity *= 2;
    this.#table = new Int32Array(capacity);
    this.#uniqueHash = new Int32Array(capacity >> 1);
    this.#uniqueRow = new Int32Array(capacity >> 1);
  }
}
