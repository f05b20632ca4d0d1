/**
 * The smallest and largest of int64 values (compared signed), folded in stretch by stretch:
 * values given as 32-bit word pairs (low word first). Each stretch takes four branch-free passes
 * (its extreme high words, then the extreme low words among the values that have them), and its
 * extremes are then compared with those seen before.
 */
export class Int64Range {
  /** Whether any value was added. */
  any = false;
  /** Sentinels until a value comes: above and below every int64. */
  minHigh = 2 ** 31;
  /** Unsigned. */
  minLow = 0;
  maxHigh = -(2 ** 31) - 1;
  /** Unsigned. */
  maxLow = 0;

  /** Folds in the values of words `fromWord`..`toWord` (an even count). */
  add(words: Int32Array, fromWord: number, toWord: number): void {
    if (toWord <= fromWord) return;
    const minHigh = minHighWord(words, fromWord, toWord);
    const maxHigh = maxHighWord(words, fromWord, toWord);
    const minLow = minLowWordAt(words, fromWord, toWord, minHigh);
    const maxLow = maxLowWordAt(words, fromWord, toWord, maxHigh);
    // every field is read and written on every call (no store only some calls reach: V8 compiled
    // code without feedback for those and deoptimized it over and over)
    const seenMinHigh = this.minHigh;
    const seenMinLow = this.minLow;
    const seenMaxHigh = this.maxHigh;
    const seenMaxLow = this.maxLow;
    const lower = minHigh < seenMinHigh || (minHigh === seenMinHigh && minLow < seenMinLow);
    const higher = maxHigh > seenMaxHigh || (maxHigh === seenMaxHigh && maxLow > seenMaxLow);
    this.any = true;
    this.minHigh = lower ? minHigh : seenMinHigh;
    this.minLow = lower ? minLow : seenMinLow;
    this.maxHigh = higher ? maxHigh : seenMaxHigh;
    this.maxLow = higher ? maxLow : seenMaxLow;
  }

  /** The extremes as PLAIN bytes (8, little-endian), or undefined when no value was added. */
  bytes(): { min: Uint8Array; max: Uint8Array } | undefined {
    if (!this.any) return undefined;
    const bytes = (low: number, high: number): Uint8Array => new Uint8Array(new Int32Array([low | 0, high]).buffer);
    return { min: bytes(this.minLow, this.minHigh), max: bytes(this.maxLow, this.maxHigh) };
  }
}

/*
 * One pass each, in functions with nothing after the loop but a return: code V8 compiles while a
 * loop runs (on-stack replacement) is reused at later calls, and statements after a loop in the
 * same function, compiled before they had run, made it deoptimize at every call.
 */

function minHighWord(words: Int32Array, fromWord: number, toWord: number): number {
  let min = words[fromWord + 1];
  for (let i = fromWord + 3; i < toWord; i += 2) min = words[i] < min ? words[i] : min;
  return min;
}

function maxHighWord(words: Int32Array, fromWord: number, toWord: number): number {
  let max = words[fromWord + 1];
  for (let i = fromWord + 3; i < toWord; i += 2) max = words[i] > max ? words[i] : max;
  return max;
}

/** The smallest low word (unsigned) among the values whose high word is `high`. */
function minLowWordAt(words: Int32Array, fromWord: number, toWord: number, high: number): number {
  let min = 0xffffffff;
  for (let i = fromWord; i < toWord; i += 2) {
    const low = words[i] >>> 0;
    min = words[i + 1] === high && low < min ? low : min;
  }
  return min;
}

/** The largest low word (unsigned) among the values whose high word is `high`. */
function maxLowWordAt(words: Int32Array, fromWord: number, toWord: number, high: number): number {
  let max = 0;
  for (let i = fromWord; i < toWord; i += 2) {
    const low = words[i] >>> 0;
    max = words[i + 1] === high && low > max ? low : max;
  }
  return max;
}
