/**
 * Interaction events in columnar form: the output of log reading and the input of
 * sessionization. 64-bit ids live in BigInt64Arrays and are written and compared through 32-bit
 * word views; no BigInt per event.
 */
export interface EventTable {
  length: number;
  /** Session ids (when the log has a session column). */
  session: BigInt64Array;
  /** User ids; `userKnown[i]` is 0 for an anonymous event. */
  user: BigInt64Array;
  userKnown: Uint8Array;
  item: BigInt64Array;
  /** Item attribute (category), 0 when the log has none. */
  category: BigInt64Array;
  /** Epoch milliseconds. */
  time: Float64Array;
  /** 0 or 1 for event and rating labels; NaN when labels come from the next item. */
  label: Float32Array;
  /** Position of the event in the log (for stable ordering of ties). */
  order: Float64Array;
  dense: Float32Array[];
  categorical: BigInt64Array[];
}

export const EVENT_ID_COLUMNS = ['session', 'user', 'item', 'category'] as const;

/** A growable EventTable: columns double when full and are trimmed once by `finish()`. */
export class EventTableBuilder {
  #capacity: number;
  length = 0;
  session: BigInt64Array;
  user: BigInt64Array;
  userKnown: Uint8Array;
  item: BigInt64Array;
  category: BigInt64Array;
  time: Float64Array;
  label: Float32Array;
  order: Float64Array;
  dense: Float32Array[];
  categorical: BigInt64Array[];
  /** Word views of the id columns, rebuilt when the columns grow. */
  sessionWords!: Int32Array;
  userWords!: Int32Array;
  itemWords!: Int32Array;
  categoryWords!: Int32Array;
  categoricalWords!: Int32Array[];

  constructor(numDense: number, numCategorical: number, capacity = 1024) {
    this.#capacity = capacity;
    this.session = new BigInt64Array(capacity);
    this.user = new BigInt64Array(capacity);
    this.userKnown = new Uint8Array(capacity);
    this.item = new BigInt64Array(capacity);
    this.category = new BigInt64Array(capacity);
    this.time = new Float64Array(capacity);
    this.label = new Float32Array(capacity);
    this.order = new Float64Array(capacity);
    this.dense = Array.from({ length: numDense }, () => new Float32Array(capacity));
    this.categorical = Array.from({ length: numCategorical }, () => new BigInt64Array(capacity));
    this.#views();
  }

  /** Makes room for `count` more events. */
  reserve(count: number): void {
    const needed = this.length + count;
    if (needed <= this.#capacity) return;
    let capacity = this.#capacity * 2;
    while (capacity < needed) capacity *= 2;
    this.session = grow(this.session, capacity);
    this.user = grow(this.user, capacity);
    this.userKnown = grow(this.userKnown, capacity);
    this.item = grow(this.item, capacity);
    this.category = grow(this.category, capacity);
    this.time = grow(this.time, capacity);
    this.label = grow(this.label, capacity);
    this.order = grow(this.order, capacity);
    this.dense = this.dense.map((column) => grow(column, capacity));
    this.categorical = this.categorical.map((column) => grow(column, capacity));
    this.#capacity = capacity;
    this.#views();
  }

  /** Bytes held (for the memory budget). */
  get byteLength(): number {
    return this.#capacity * (8 * 4 + 1 + 8 + 4 + 8 + 4 * this.dense.length + 8 * this.categorical.length);
  }

  /** Appends the events of `table` (used when reading partitions back from disk). */
  append(table: EventTable): void {
    this.reserve(table.length);
    const at = this.length;
    this.session.set(table.session.subarray(0, table.length), at);
    this.user.set(table.user.subarray(0, table.length), at);
    this.userKnown.set(table.userKnown.subarray(0, table.length), at);
    this.item.set(table.item.subarray(0, table.length), at);
    this.category.set(table.category.subarray(0, table.length), at);
    this.time.set(table.time.subarray(0, table.length), at);
    this.label.set(table.label.subarray(0, table.length), at);
    this.order.set(table.order.subarray(0, table.length), at);
    this.dense.forEach((column, c) => column.set(table.dense[c].subarray(0, table.length), at));
    this.categorical.forEach((column, c) => column.set(table.categorical[c].subarray(0, table.length), at));
    this.length += table.length;
  }

  /** The events so far as an EventTable of views (the builder may keep growing afterwards only by copying). */
  view(): EventTable {
    const n = this.length;
    return {
      length: n,
      session: this.session.subarray(0, n),
      user: this.user.subarray(0, n),
      userKnown: this.userKnown.subarray(0, n),
      item: this.item.subarray(0, n),
      category: this.category.subarray(0, n),
      time: this.time.subarray(0, n),
      label: this.label.subarray(0, n),
      order: this.order.subarray(0, n),
      dense: this.dense.map((column) => column.subarray(0, n)),
      categorical: this.categorical.map((column) => column.subarray(0, n)),
    };
  }

  clear(): void {
    this.length = 0;
  }

  #views(): void {
    this.sessionWords = new Int32Array(this.session.buffer);
    this.userWords = new Int32Array(this.user.buffer);
    this.itemWords = new Int32Array(this.item.buffer);
    this.categoryWords = new Int32Array(this.category.buffer);
    this.categoricalWords = this.categorical.map((column) => new Int32Array(column.buffer));
  }
}

type Growable = BigInt64Array | Float64Array | Float32Array | Uint8Array;

function grow<T extends Growable>(array: T, capacity: number): T {
  const grown = new (array.constructor as new (length: number) => T)(capacity);
  (grown as Growable).set(array as never);
  return grown;
}
