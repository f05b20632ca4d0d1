/**
 * Questions about a field answered from its bytes, without decoding it to a string: whether it is
 * one of a few texts (null markers), whether it is a decimal integer, and its text from a small
 * cache of the texts seen (event types: a handful of values on millions of rows). Each answer is
 * the one the decoded string would give: two texts are equal exactly when their UTF-8 bytes are
 * (bytes that are not valid UTF-8 decode to U+FFFD and never match a text here).
 */

/** The UTF-8 bytes of each text, for {@link equalsAny}. */
export function utf8Texts(texts: Iterable<string>): Uint8Array[] {
  return [...texts].map((text) => new TextEncoder().encode(text));
}

/** Whether `bytes[start .. end)` equals one of `candidates`. */
export function equalsAny(bytes: Uint8Array, start: number, end: number, candidates: readonly Uint8Array[]): boolean {
  const length = end - start;
  for (const candidate of candidates) {
    if (candidate.length !== length) continue;
    let k = 0;
    while (k < length && candidate[k] === bytes[start + k]) k++;
    if (k === length) return true;
  }
  return false;
}

/** Whether `bytes[start .. end)` matches /^[+-]?\d{1,18}$/ (an id that int64 parsing takes as it is). */
export function isShortDecimal(bytes: Uint8Array, start: number, end: number): boolean {
  let at = start;
  if (at < end && (bytes[at] === PLUS || bytes[at] === MINUS)) at++;
  const digits = end - at;
  if (digits < 1 || digits > 18) return false;
  for (; at < end; at++) if (bytes[at] < ZERO || bytes[at] > NINE) return false;
  return true;
}

const PLUS = 0x2b;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * The texts of short fields, kept by their bytes (at most `maxEntries` of at most `maxBytes`
 * bytes; others are decoded each time), so a column of few distinct values decodes each once.
 */
export class FieldTextCache {
  readonly #bytes: Uint8Array[] = [];
  readonly #texts: string[] = [];
  readonly #maxEntries: number;
  readonly #maxBytes: number;

  constructor(maxEntries = 32, maxBytes = 32) {
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
  }

  /** The UTF-8 text of `bytes[start .. end)`. */
  text(bytes: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length > this.#maxBytes) return bytes.toString('utf8', start, end);
    const cached = this.#bytes;
    for (let e = 0; e < cached.length; e++) {
      const candidate = cached[e];
      if (candidate.length !== length) continue;
      let k = 0;
      while (k < length && candidate[k] === bytes[start + k]) k++;
      if (k === length) return this.#texts[e];
    }
    const text = bytes.toString('utf8', start, end);
    if (cached.length < this.#maxEntries) {
      cached.push(bytes.slice(start, end));
      this.#texts.push(text);
    }
    return text;
  }
}
