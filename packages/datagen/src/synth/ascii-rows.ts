/**
 * The byte buffer CSV rows are printed into, handed out as latin1 strings. Printing into bytes is
 * several times faster than template strings: ids are mostly copied from pre-encoded pieces
 * (`encodeDecimal`), and a timestamp is split so that only its last six digits are printed per
 * row (a 13-digit millisecond value is not a small integer to V8, so `${ms}` is slow).
 */

// Bound once per module: in a vm context (jest) every lookup of a global such as `Math` costs ~0.4 µs.
const { floor } = Math;

const COMMA = 44;
const ZERO = 48;
const MILLION = 1_000_000;

export class AsciiRows {
  #bytes: Uint8Array;
  #length = 0;
  /** The timestamp's digits above the last six, cached across rows (the log is in time order). */
  readonly #highDigits = new Uint8Array(16);
  #highDigitCount = 0;
  #high = -1;

  /** `capacity` is a hint: the buffer grows if a chunk runs past it. */
  constructor(capacity: number) {
    this.#bytes = new Uint8Array(capacity + 256);
  }

  get length(): number {
    return this.#length;
  }

  /** Makes room for `bytes` more bytes; call once per row with a bound on its length. */
  reserve(bytes: number): void {
    if (this.#length + bytes <= this.#bytes.length) return;
    const grown = new Uint8Array(Math.max(2 * this.#bytes.length, this.#length + bytes));
    grown.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = grown;
  }

  /** Copies `source[start .. end]` (pre-encoded fields, commas included). */
  append(source: Uint8Array, start: number, end: number): void {
    const bytes = this.#bytes;
    let at = this.#length;
    for (let i = start; i < end; i++) bytes[at++] = source[i];
    this.#length = at;
  }

  /** A millisecond timestamp (non-negative integer below 2^53), then a comma. */
  timestampField(ms: number): void {
    const high = floor(ms / MILLION);
    let low = ms - high * MILLION;
    if (high !== this.#high) {
      this.#high = high;
      this.#highDigitCount = high === 0 ? 0 : encodeDecimal(this.#highDigits, 0, high);
    }
    const bytes = this.#bytes;
    let at = this.#length;
    if (this.#highDigitCount === 0) {
      at = encodeDecimal(bytes, at, low);
    } else {
      for (let i = 0; i < this.#highDigitCount; i++) bytes[at++] = this.#highDigits[i];
      for (let i = at + 5; i >= at; i--) {
        const quotient = (low * 0.1) | 0;
        bytes[i] = ZERO + low - quotient * 10;
        low = quotient;
      }
      at += 6;
    }
    bytes[at] = COMMA;
    this.#length = at + 1;
  }

  /** Everything printed since the last take, as a string; the buffer is reused. */
  take(): string {
    const text = Buffer.from(this.#bytes.buffer, this.#bytes.byteOffset, this.#length).toString('latin1');
    this.#length = 0;
    return text;
  }
}

/**
 * Prints a non-negative integer below 2^53 in decimal into `into` at `at`; returns the end.
 * (`x * 0.1 | 0` is exact integer division by 10 below 2^31: 0.1 as a double is a hair above 0.1.)
 */
export function encodeDecimal(into: Uint8Array, at: number, value: number): number {
  if (value >= 2 ** 31) {
    const high = floor(value / 1e9);
    at = encodeDecimal(into, at, high);
    return encodeFixed(into, at, value - high * 1e9, 9);
  }
  let count = 1;
  for (let rest = value; rest >= 10; rest = (rest * 0.1) | 0) count++;
  return encodeFixed(into, at, value, count);
}

function encodeFixed(into: Uint8Array, at: number, value: number, count: number): number {
  for (let i = at + count - 1; i >= at; i--) {
    const quotient = (value * 0.1) | 0;
    into[i] = ZERO + value - quotient * 10;
    value = quotient;
  }
  return at + count;
}

/** Encodes a constant last field: `text` and a newline (a plain Uint8Array, so copies stay monomorphic). */
export function lastField(text: string): Uint8Array {
  return Uint8Array.from(`${text}\n`, (character) => character.charCodeAt(0));
}
