/**
 * Numbers parsed straight from a field's bytes, with no string in between. Each function returns
 * a sentinel on bad input (NaN, or false) so the caller can raise an error that names the row.
 *
 * Integers: `[+-]?[0-9]+`. Floats: `[+-]?` digits with an optional `.` and exponent, or `nan`,
 * `inf`, `infinity` (any case). No surrounding spaces, no hex, no thousands separators.
 */

const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const TWO_32 = 4294967296;
const TWO_31 = 2147483648;

/** An integer within +-(2^53 - 1), or NaN if the bytes are not one. */
export function parseSafeInteger(bytes: Uint8Array, start: number, end: number): number {
  let p = start;
  let negative = false;
  if (p < end && (bytes[p] === MINUS || bytes[p] === PLUS)) negative = bytes[p++] === MINUS;
  if (p === end) return NaN;
  let value = 0;
  for (; p < end; p++) {
    const digit = bytes[p] - ZERO;
    if (digit < 0 || digit > 9) return NaN;
    // Every partial value up to 2^53 is exact, and values only grow, so one check at each step is enough.
    value = value * 10 + digit;
    if (value > Number.MAX_SAFE_INTEGER) return NaN;
  }
  return negative ? 0 - value : value; // 0 - 0 is +0: "-0" reads as a plain 0
}

/**
 * A signed 64-bit integer written as two's-complement words (low word first, the layout of a
 * `BigInt64Array` seen through an `Int32Array` on a little-endian machine). No BigInt is made.
 * Returns false, writing nothing, if the bytes are not an integer in int64 range.
 */
export function parseInt64Words(bytes: Uint8Array, start: number, end: number, words: Int32Array, wordIndex: number): boolean {
  let p = start;
  let negative = false;
  if (p < end && (bytes[p] === MINUS || bytes[p] === PLUS)) negative = bytes[p++] === MINUS;
  if (p === end) return false;
  // Up to 15 digits fit a double exactly; longer numbers continue in two 32-bit limbs.
  let value = 0;
  const fastEnd = Math.min(end, p + 15);
  for (; p < fastEnd; p++) {
    const digit = bytes[p] - ZERO;
    if (digit < 0 || digit > 9) return false;
    value = value * 10 + digit;
  }
  if (p === end) {
    const signed = negative ? -value : value;
    words[wordIndex] = signed >>> 0;
    words[wordIndex + 1] = Math.floor(signed / TWO_32);
    return true;
  }
  let high = Math.floor(value / TWO_32);
  let low = value - high * TWO_32;
  for (; p < end; p++) {
    const digit = bytes[p] - ZERO;
    if (digit < 0 || digit > 9) return false;
    low = low * 10 + digit;
    const carry = Math.floor(low / TWO_32);
    low -= carry * TWO_32;
    high = high * 10 + carry;
    if (high > TWO_31) return false;
  }
  // The magnitude may reach 2^63 only for a negative number.
  if (high === TWO_31 && (!negative || low !== 0)) return false;
  if (!negative) {
    words[wordIndex] = low | 0;
    words[wordIndex + 1] = high | 0;
  } else if (low === 0) {
    words[wordIndex] = 0;
    words[wordIndex + 1] = -high | 0;
  } else {
    words[wordIndex] = (TWO_32 - low) | 0;
    words[wordIndex + 1] = ~high;
  }
  return true;
}

const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * A float, correctly rounded. Short decimals (up to 15 significant digits, exponent within 22)
 * take Clinger's fast path: one exact integer times or divided by one exact power of ten, hence one
 * rounding. Anything else is checked here and then converted by `Number()`. NaN on bad input, and
 * for the text `nan` (the caller tells the two apart with `isNanText`).
 */
export function parseFloat64(bytes: Uint8Array, start: number, end: number): number {
  let p = start;
  let negative = false;
  if (p < end && (bytes[p] === MINUS || bytes[p] === PLUS)) negative = bytes[p++] === MINUS;
  let mantissa = 0;
  let significantDigits = 0;
  let anyDigit = false;
  let exponent = 0;
  for (; p < end; p++) {
    const digit = bytes[p] - ZERO;
    if (digit < 0 || digit > 9) break;
    anyDigit = true;
    if (mantissa !== 0 || digit !== 0) {
      mantissa = mantissa * 10 + digit;
      significantDigits++;
    }
  }
  if (p < end && bytes[p] === DOT) {
    for (p++; p < end; p++) {
      const digit = bytes[p] - ZERO;
      if (digit < 0 || digit > 9) break;
      anyDigit = true;
      if (mantissa !== 0 || digit !== 0) {
        mantissa = mantissa * 10 + digit;
        significantDigits++;
      }
      exponent--;
    }
  }
  if (!anyDigit) return parseSpecialFloat(bytes, start, end);
  if (p < end && (bytes[p] | 0x20) === 0x65 /* e or E */) {
    p++;
    let exponentNegative = false;
    if (p < end && (bytes[p] === MINUS || bytes[p] === PLUS)) exponentNegative = bytes[p++] === MINUS;
    if (p === end) return NaN;
    let written = 0;
    for (; p < end; p++) {
      const digit = bytes[p] - ZERO;
      if (digit < 0 || digit > 9) return NaN;
      if (written < 100000) written = written * 10 + digit;
    }
    exponent += exponentNegative ? -written : written;
  }
  if (p !== end) return NaN;
  if (significantDigits <= 15 && exponent >= -22 && exponent <= 22) {
    const magnitude = exponent >= 0 ? mantissa * POWERS_OF_TEN[exponent] : mantissa / POWERS_OF_TEN[-exponent];
    return negative ? -magnitude : magnitude;
  }
  return Number(latin1(bytes, start, end));
}

/** True if the bytes spell NaN as `parseFloat64` accepts it (so a NaN result is not an error). */
export function isNanText(bytes: Uint8Array, start: number, end: number): boolean {
  let p = start;
  if (p < end && (bytes[p] === MINUS || bytes[p] === PLUS)) p++;
  return latin1(bytes, p, end).toLowerCase() === 'nan';
}

function parseSpecialFloat(bytes: Uint8Array, start: number, end: number): number {
  let p = start;
  let negative = false;
  if (p < end && (bytes[p] === MINUS || bytes[p] === PLUS)) negative = bytes[p++] === MINUS;
  if (end - p > 8) return NaN;
  const word = latin1(bytes, p, end).toLowerCase();
  if (word === 'inf' || word === 'infinity') return negative ? -Infinity : Infinity;
  return NaN;
}

function latin1(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let p = start; p < end; p++) text += String.fromCharCode(bytes[p]);
  return text;
}
