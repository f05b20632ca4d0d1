/** Options of the CSV/TSV reader, and their resolution into the byte values the scanner uses. */

export interface CsvReadOptions {
  /** Field separator, one ASCII character: `','` (default), `';'`, `'\t'`, `'|'`, ... */
  delimiter?: string;
  /** Quote character, one ASCII character (default `'"'`); `null` turns quoting off (plain TSV). */
  quote?: string | null;
  /** The first row names the columns (default true). */
  header?: boolean;
  /** Column names for a file without a header row; they also fix the number of fields. */
  columns?: readonly string[];
  /** Skip lines that hold nothing at all (default true); otherwise such a line is a row of one empty field. */
  skipEmptyLines?: boolean;
  /** A quote inside an unquoted field (`ab"c`): `'reject'` the row (default, RFC 4180) or `'keep'` it as data. */
  strayQuotes?: 'reject' | 'keep';
  /** On a malformed row: `'stop'` throws an InputError (default); `'skip'` drops the row and reports it in `CsvChunk.rejected`. */
  onError?: 'stop' | 'skip';
  /** Bytes read per chunk (default 1 MiB). A row longer than this makes its chunk grow to hold it. */
  chunkBytes?: number;
  /** A row longer than this is an error even in skip mode (default 64 MiB): it bounds memory on a runaway quote. */
  maxRowBytes?: number;
  /** The name errors give for a stream source (default `'<stream>'`); a path source is named by its path. */
  fileName?: string;
}

export interface ResolvedCsvOptions {
  delimiter: number;
  /** -1 when quoting is off. */
  quote: number;
  header: boolean;
  columns: readonly string[] | undefined;
  skipEmptyLines: boolean;
  keepStrayQuotes: boolean;
  skipErrors: boolean;
  chunkBytes: number;
  maxRowBytes: number;
  fileName: string;
}

const CR = 13;
const LF = 10;

export function resolveCsvOptions(options: CsvReadOptions, defaultFileName: string): ResolvedCsvOptions {
  const delimiter = asciiByte('delimiter', options.delimiter ?? ',');
  const quote = options.quote === null ? -1 : asciiByte('quote', options.quote ?? '"');
  if (delimiter === quote) throw new RangeError(`delimiter and quote must differ, both are ${JSON.stringify(options.delimiter)}`);
  const header = options.header ?? true;
  if (header && options.columns !== undefined) {
    throw new RangeError('columns names a file without a header row: pass header: false with it');
  }
  if (options.columns !== undefined && options.columns.length === 0) throw new RangeError('columns must name at least one column');
  return {
    delimiter,
    quote,
    header,
    columns: options.columns,
    skipEmptyLines: options.skipEmptyLines ?? true,
    keepStrayQuotes: oneOf('strayQuotes', options.strayQuotes ?? 'reject', ['reject', 'keep']) === 'keep',
    skipErrors: oneOf('onError', options.onError ?? 'stop', ['stop', 'skip']) === 'skip',
    chunkBytes: positiveInteger('chunkBytes', options.chunkBytes ?? 1 << 20),
    maxRowBytes: positiveInteger('maxRowBytes', options.maxRowBytes ?? 64 << 20),
    fileName: options.fileName ?? defaultFileName,
  };
}

function asciiByte(name: string, value: string): number {
  const code = value.length === 1 ? value.charCodeAt(0) : -1;
  if (code < 0 || code > 127 || code === CR || code === LF) {
    throw new RangeError(`${name} must be one ASCII character other than CR and LF, got ${JSON.stringify(value)}`);
  }
  return code;
}

function oneOf<T extends string>(name: string, value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) throw new RangeError(`${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > 2 ** 30) {
    throw new RangeError(`${name} must be an integer in 1 .. 2^30, got ${value}`);
  }
  return value;
}
