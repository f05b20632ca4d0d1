import { InputError, excerpt } from '@recd/core/dist/errors';
import type { LogRows } from './log-rows';
import { DEFAULT_NULL_VALUES, LogSchema, labelRuleOf } from './log-schema';
import { EventTableBuilder } from './events';
import { FieldTextCache, equalsAny, isShortDecimal, utf8Texts } from './field-bytes';
import { hashText64 } from './text-hash';

/** A log row left out under `onError: 'skip'`: where it was and why. */
export interface RejectedEvent {
  file: string;
  line: number;
  field?: string;
  reason: string;
  /** The row's text (fields joined by the delimiter), when it could be recovered. */
  text?: string;
}

/** Where the schema's columns are in a block's columns (-1: the schema has none). */
export interface ColumnIndexes {
  session: number;
  user: number;
  item: number;
  time: number;
  date: number;
  event: number;
  rating: number;
  category: number;
  dense: number[];
  categorical: number[];
}

/**
 * Turns log rows into events under a LogSchema: ids parsed straight into 64-bit words, times
 * into epoch milliseconds, labels from the event type or rating. A malformed row stops the run
 * with an InputError naming file, line and field, or (with `skip`) is counted and kept in
 * `rejected` so the caller can write it out.
 */
export class EventExtractor {
  readonly schema: LogSchema;
  readonly onError: 'stop' | 'skip';
  readonly rejected: RejectedEvent[] = [];
  /** Rows dropped on purpose (event types listed in `event.ignore`). */
  ignored = 0;
  #rejectedCount = 0;
  readonly #maxKeptRejects: number;
  readonly #nulls: Set<string>;
  readonly #nullBytes: Uint8Array[];
  readonly #eventTexts = new FieldTextCache();
  readonly #span = new Int32Array(2);
  readonly #positive: Set<string>;
  readonly #ignore: Set<string>;
  readonly #ratingThreshold: number;
  readonly #labelKind: 'event' | 'rating' | 'next-item';
  readonly #dates = new Map<string, number>();
  #indexes: ColumnIndexes | undefined;
  #indexedColumns: readonly string[] | undefined;
  #order = 0;

  constructor(schema: LogSchema, options: { onError?: 'stop' | 'skip'; maxKeptRejects?: number } = {}) {
    this.schema = schema;
    this.onError = options.onError ?? 'stop';
    this.#maxKeptRejects = options.maxKeptRejects ?? 100_000;
    this.#nulls = new Set(schema.nullValues ?? DEFAULT_NULL_VALUES);
    this.#nullBytes = utf8Texts(this.#nulls);
    this.#positive = new Set(schema.event?.positive ?? []);
    this.#ignore = new Set(schema.event?.ignore ?? []);
    const label = labelRuleOf(schema);
    this.#labelKind = label.kind;
    this.#ratingThreshold = label.kind === 'rating' ? label.threshold : 0;
  }

  /** Rows rejected so far (all of them, also beyond those kept in `rejected`). */
  get rejectedCount(): number {
    return this.#rejectedCount;
  }

  /** Records rows the reader itself rejected (malformed CSV) under the skip policy. */
  addReaderRejects(rejects: readonly { line: number; reason: string; text?: string }[], file: string): void {
    for (const reject of rejects) this.#reject({ file, line: reject.line, reason: reject.reason, text: reject.text });
  }

  /** Records rows rejected by another extractor (a block extracted elsewhere, extract-pool.ts), in their order. */
  addRejected(rejects: readonly RejectedEvent[]): void {
    for (const reject of rejects) this.#reject(reject);
  }

  /** Appends the events of `rows` to `out`. */
  extract(rows: LogRows, out: EventTableBuilder): void {
    const index = this.#columnIndexes(rows);
    out.reserve(rows.rowCount);
    for (let row = 0; row < rows.rowCount; row++) {
      const at = out.length;
      try {
        if (this.#readRow(rows, row, index, out, at)) out.length++;
        else this.ignored++;
      } catch (error) {
        if (this.onError === 'stop' || !(error instanceof InputError)) throw error;
        this.#reject({
          file: rows.file,
          line: rows.lineNumbers[row],
          field: error.location.field,
          reason: error.message,
          text: rows.columns.map((_, field) => rows.string(row, field)).join(this.schema.csv?.delimiter ?? ','),
        });
      }
    }
  }

  #readRow(rows: LogRows, row: number, index: ColumnIndexes, out: EventTableBuilder, at: number): boolean {
    let label = NaN;
    if (index.event >= 0) {
      const bytes = rows.fieldSpan?.(row, index.event, this.#span);
      const event = bytes === undefined ? rows.string(row, index.event) : this.#eventTexts.text(bytes, this.#span[0], this.#span[1]);
      if (this.#ignore.has(event)) return false;
      if (this.#labelKind === 'event') label = this.#positive.has(event) ? 1 : 0;
    }
    if (index.session >= 0) this.#requiredId(rows, row, index.session, out.sessionWords, 2 * at);
    else out.sessionWords[2 * at] = out.sessionWords[2 * at + 1] = 0;
    if (index.user >= 0) {
      const known = !this.#isNull(rows, row, index.user);
      if (!known && index.session < 0) this.#fail(rows, row, index.user, 'missing user: without a session column, sessions come from the user, so every row needs one');
      out.userKnown[at] = known ? 1 : 0;
      if (known) rows.int64Words(row, index.user, out.userWords, 2 * at);
      else out.userWords[2 * at] = out.userWords[2 * at + 1] = 0;
    } else {
      out.userKnown[at] = 0;
    }
    this.#requiredId(rows, row, index.item, out.itemWords, 2 * at);
    out.time[at] = this.#time(rows, row, index);
    if (index.rating >= 0) {
      const rating = rows.float(row, index.rating);
      if (!Number.isFinite(rating)) this.#fail(rows, row, index.rating, `expected a finite rating, got ${rating}`);
      if (this.#labelKind === 'rating') label = rating >= this.#ratingThreshold ? 1 : 0;
    }
    out.label[at] = label;
    if (index.category >= 0) this.#categoricalId(rows, row, index.category, out.categoryWords, 2 * at);
    else out.categoryWords[2 * at] = out.categoryWords[2 * at + 1] = 0;
    for (let d = 0; d < index.dense.length; d++) {
      out.dense[d][at] = this.#isNull(rows, row, index.dense[d]) ? 0 : rows.float(row, index.dense[d]);
    }
    for (let c = 0; c < index.categorical.length; c++) this.#categoricalId(rows, row, index.categorical[c], out.categoricalWords[c], 2 * at);
    out.order[at] = this.#order++;
    return true;
  }

  #requiredId(rows: LogRows, row: number, field: number, words: Int32Array, wordIndex: number): void {
    rows.int64Words(row, field, words, wordIndex);
  }

  /** Whether the field is one of the schema's null markers. */
  #isNull(rows: LogRows, row: number, field: number): boolean {
    const bytes = rows.fieldSpan?.(row, field, this.#span);
    return bytes === undefined ? this.#nulls.has(rows.string(row, field)) : equalsAny(bytes, this.#span[0], this.#span[1], this.#nullBytes);
  }

  #categoricalId(rows: LogRows, row: number, field: number, words: Int32Array, wordIndex: number): void {
    const bytes = rows.fieldSpan?.(row, field, this.#span);
    if (bytes !== undefined) {
      // the decisions below, from the bytes
      const start = this.#span[0];
      const end = this.#span[1];
      if (equalsAny(bytes, start, end, this.#nullBytes)) words[wordIndex] = words[wordIndex + 1] = 0;
      else if (isShortDecimal(bytes, start, end)) rows.int64Words(row, field, words, wordIndex);
      else hashText64(rows.string(row, field), words, wordIndex);
      return;
    }
    const text = rows.string(row, field);
    if (this.#nulls.has(text)) {
      words[wordIndex] = 0;
      words[wordIndex + 1] = 0;
    } else if (/^[+-]?\d{1,18}$/.test(text)) {
      rows.int64Words(row, field, words, wordIndex);
    } else {
      hashText64(text, words, wordIndex);
    }
  }

  #time(rows: LogRows, row: number, index: ColumnIndexes): number {
    const unit = this.schema.time.unit;
    if (unit === 'iso') {
      const text = rows.string(row, index.time);
      const time = Date.parse(text);
      if (Number.isNaN(time)) this.#fail(rows, row, index.time, `expected an ISO 8601 date-time, got ${excerpt(text)}`);
      return time;
    }
    const value = rows.float(row, index.time);
    if (!Number.isFinite(value)) this.#fail(rows, row, index.time, `expected a finite time, got ${value}`);
    if (unit === 'epoch-s') return value * 1000;
    if (unit === 'epoch-ms') return value;
    const dateText = rows.string(row, index.date);
    let date = this.#dates.get(dateText);
    if (date === undefined) {
      date = /^\d{4}-\d{2}-\d{2}$/.test(dateText) ? Date.parse(`${dateText}T00:00:00Z`) : NaN;
      if (Number.isNaN(date)) this.#fail(rows, row, index.date, `expected a date YYYY-MM-DD, got ${excerpt(dateText)}`);
      this.#dates.set(dateText, date);
    }
    return date + value;
  }

  #fail(rows: LogRows, row: number, field: number, problem: string): never {
    throw new InputError({ file: rows.file, line: rows.lineNumbers[row], field: rows.columns[field] }, problem);
  }

  #reject(reject: RejectedEvent): void {
    this.#rejectedCount++;
    if (this.rejected.length < this.#maxKeptRejects) this.rejected.push(reject);
  }

  #columnIndexes(rows: LogRows): ColumnIndexes {
    if (this.#indexes && this.#indexedColumns === rows.columns) return this.#indexes;
    const schema = this.schema;
    const find = (name: string | undefined, what: string): number => {
      if (name === undefined) return -1;
      const position = rows.columns.indexOf(name);
      if (position < 0) {
        throw new InputError({ file: rows.file, line: 1, field: name }, `missing ${what} column "${name}"; the columns are ${rows.columns.join(', ')}`);
      }
      return position;
    };
    this.#indexes = {
      session: find(schema.session, 'session'),
      user: find(schema.user, 'user'),
      item: find(schema.item, 'item'),
      time: find(schema.time.column, 'time'),
      date: find(schema.time.dateColumn, 'date'),
      event: find(schema.event?.column, 'event'),
      rating: find(schema.rating, 'rating'),
      category: find(schema.category, 'category'),
      dense: (schema.dense ?? []).map((name) => find(name, 'dense')),
      categorical: (schema.categorical ?? []).map((name) => find(name, 'categorical')),
    };
    this.#indexedColumns = rows.columns;
    return this.#indexes;
  }
}
