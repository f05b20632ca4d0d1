/** A malformed row dropped in `onError: 'skip'` mode, kept so the caller can write it out. */
export interface RejectedRow {
  /** 1-based line of the file where the row starts. */
  line: number;
  /** The column where the problem was found (header name, or `column N`). */
  field: string;
  /** What was wrong, e.g. `expected 6 fields, got 5`. */
  reason: string;
  /** The row's text as it stands in the file, without its line break. */
  raw: string;
}
