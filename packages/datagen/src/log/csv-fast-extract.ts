/**
 * The events of a CSV chunk read straight from its bytes and field offsets: what EventExtractor
 * makes of the rows, without its per-field calls through LogRows, for chunks where every row is
 * well formed (the usual case). It gives up at the first field it does not take as it stands (one
 * that does not parse, a quoted field with doubled quotes, a missing column) and the caller then
 * extracts the chunk with EventExtractor, which names the problem or rejects the row. Schemas with
 * ISO or offset times are left to EventExtractor.
 */
import type { CsvChunk } from '../csv/chunk';
import { isNanText, parseFloat64, parseInt64Words } from '../csv/parse-number';
import type { EventTableBuilder } from './events';
import type { ColumnIndexes } from './extract-events';
import { equalsAny, isShortDecimal, utf8Texts } from './field-bytes';
import { DEFAULT_NULL_VALUES, LogSchema, labelRuleOf } from './log-schema';
import { hashText64 } from './text-hash';

export class CsvFastExtractor {
  readonly #schema: LogSchema;
  readonly #nullBytes: Uint8Array[];
  readonly #positive: Uint8Array[];
  readonly #ignore: Uint8Array[];
  readonly #labelKind: 'event' | 'rating' | 'next-item';
  readonly #ratingThreshold: number;
  readonly #timeScale: number;

  private constructor(schema: LogSchema) {
    this.#schema = schema;
    this.#nullBytes = utf8Texts(new Set(schema.nullValues ?? DEFAULT_NULL_VALUES));
    this.#positive = utf8Texts(new Set(schema.event?.positive ?? []));
    this.#ignore = utf8Texts(new Set(schema.event?.ignore ?? []));
    const label = labelRuleOf(schema);
    this.#labelKind = label.kind;
    this.#ratingThreshold = label.kind === 'rating' ? label.threshold : 0;
    this.#timeScale = schema.time.unit === 'epoch-s' ? 1000 : 1;
  }

  /**
   * The fast extractor of a schema, or undefined where it would not match EventExtractor: times
   * that are not epoch numbers, or event values holding U+FFFD (which undecodable bytes also decode to).
   */
  /** Rows `#extractRows` ignored (`event.ignore`). */
  #ignored = 0;

  static for(schema: LogSchema): CsvFastExtractor | undefined {
    if (schema.time.unit !== 'epoch-s' && schema.time.unit !== 'epoch-ms') return undefined;
    const events = [...(schema.event?.positive ?? []), ...(schema.event?.ignore ?? [])];
    if (events.some((text) => text.includes('\uFFFD'))) return undefined;
    return new CsvFastExtractor(schema);
  }

  /**
   * Writes the events of `chunk` to `out` from row 0 (`out` has room for every row) and returns
   * the number of rows ignored (`event.ignore`), or undefined where it gives up (then `out` holds
   * garbage).
   */
  extract(chunk: CsvChunk, out: EventTableBuilder): number | undefined {
    const columns = this.#columns(chunk.columns);
    if (columns === undefined) return undefined;
    this.#ignored = 0;
    const rows = this.#extractRows(chunk, out, columns);
    if (rows < 0) return undefined;
    out.length = rows;
    return this.#ignored;
  }

  /**
   * The row loop of `extract`: returns the events written, or -1 where it gives up; rows ignored
   * are counted in `#ignored`. Nothing follows the loop but the return: code V8 compiles while the
   * loop runs is reused at the next call, and a statement after the loop that had not run yet
   * made it deoptimize at every chunk.
   */
  #extractRows(chunk: CsvChunk, out: EventTableBuilder, columns: ColumnIndexes): number {
    const { session, user, item, time, event, rating, category, dense, categorical } = columns;
    const { bytes, fieldStarts: starts, fieldEnds: ends, fieldEscaped: escaped, rowCount } = chunk;
    const width = chunk.fieldCount;
    const nulls = this.#nullBytes;
    const positive = this.#positive;
    const ignore = this.#ignore;
    const eventLabels = this.#labelKind === 'event';
    const ratingLabels = this.#labelKind === 'rating';
    const threshold = this.#ratingThreshold;
    const timeScale = this.#timeScale;
    const { sessionWords, userWords, userKnown, itemWords, categoryWords, label: labels, time: times } = out;
    let at = 0;
    for (let row = 0, base = 0; row < rowCount; row++, base += width) {
      let label = NaN;
      if (event >= 0) {
        const k = base + event;
        if (escaped[k] === 1) return -1;
        if (ignore.length > 0 && equalsAny(bytes, starts[k], ends[k], ignore)) {
          this.#ignored++;
          continue;
        }
        if (eventLabels) label = equalsAny(bytes, starts[k], ends[k], positive) ? 1 : 0;
      }
      const w = 2 * at;
      if (session >= 0) {
        if (!parseInt64Words(bytes, starts[base + session], ends[base + session], sessionWords, w)) return -1;
      } else sessionWords[w] = sessionWords[w + 1] = 0;
      if (user >= 0) {
        const k = base + user;
        if (escaped[k] === 1) return -1;
        if (equalsAny(bytes, starts[k], ends[k], nulls)) {
          if (session < 0) return -1;
          userKnown[at] = 0;
          userWords[w] = userWords[w + 1] = 0;
        } else {
          if (!parseInt64Words(bytes, starts[k], ends[k], userWords, w)) return -1;
          userKnown[at] = 1;
        }
      } else userKnown[at] = 0;
      if (!parseInt64Words(bytes, starts[base + item], ends[base + item], itemWords, w)) return -1;
      const value = parseFloat64(bytes, starts[base + time], ends[base + time]);
      if (value - value !== 0) return -1; // not finite
      times[at] = value * timeScale;
      if (rating >= 0) {
        const ratingValue = parseFloat64(bytes, starts[base + rating], ends[base + rating]);
        if (ratingValue - ratingValue !== 0) return -1;
        if (ratingLabels) label = ratingValue >= threshold ? 1 : 0;
      }
      labels[at] = label;
      if (category >= 0) {
        if (!categoricalId(bytes, starts, ends, escaped, base + category, nulls, categoryWords, w)) return -1;
      } else categoryWords[w] = categoryWords[w + 1] = 0;
      for (let d = 0; d < dense.length; d++) {
        const k = base + dense[d];
        if (escaped[k] === 1) return -1;
        if (equalsAny(bytes, starts[k], ends[k], nulls)) out.dense[d][at] = 0;
        else {
          const denseValue = parseFloat64(bytes, starts[k], ends[k]);
          if (denseValue !== denseValue && !isNanText(bytes, starts[k], ends[k])) return -1;
          out.dense[d][at] = denseValue;
        }
      }
      for (let c = 0; c < categorical.length; c++) {
        if (!categoricalId(bytes, starts, ends, escaped, base + categorical[c], nulls, out.categoricalWords[c], w)) return -1;
      }
      at++;
    }
    return at;
  }

  /** The schema's columns in the chunk, or undefined if one is missing (EventExtractor names it). */
  #columns(names: readonly string[]): ColumnIndexes | undefined {
    const schema = this.#schema;
    let missing = false;
    const find = (name: string | undefined): number => {
      if (name === undefined) return -1;
      const index = names.indexOf(name);
      if (index < 0) missing = true;
      return index;
    };
    const columns: ColumnIndexes = {
      session: find(schema.session),
      user: find(schema.user),
      item: find(schema.item),
      time: find(schema.time.column),
      date: find(schema.time.dateColumn),
      event: find(schema.event?.column),
      rating: find(schema.rating),
      category: find(schema.category),
      dense: (schema.dense ?? []).map(find),
      categorical: (schema.categorical ?? []).map(find),
    };
    return missing ? undefined : columns;
  }
}

/** A categorical value as EventExtractor takes it: null 0, a short decimal as it is, other text hashed; false where it gives up. */
function categoricalId(bytes: Buffer, starts: Int32Array, ends: Int32Array, escaped: Uint8Array, k: number, nulls: Uint8Array[], words: Int32Array, w: number): boolean {
  if (escaped[k] === 1) return false;
  const start = starts[k];
  const end = ends[k];
  if (equalsAny(bytes, start, end, nulls)) words[w] = words[w + 1] = 0;
  else if (isShortDecimal(bytes, start, end)) return parseInt64Words(bytes, start, end, words, w);
  else hashText64(bytes.toString('utf8', start, end), words, w);
  return true;
}
