/**
 * The smallest and largest of int64 values (compared signed), folded in stretch by stretch:
 * values given as 32-bit word pairs (low word first). Each stretch takes two branch-free passes
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
    highWordExtremes(words, fromWord, toWord, highs);
    const minHigh = highs[0];
    const maxHigh = highs[1];
    lowWordExtremes(words, fromWord, toWord, minHigh, maxHigh, lows);
    const minLow = lows[0];
    const maxLow = lows[1];
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
 * The passes, in functions with nothing after the loop: code V8 compiles while a loop runs
 * (on-stack replacement) is reused at later calls, and statements after a loop, compiled before
 * they had run, made it deoptimize at every call. So the results are stored as the loop goes.
 */

/** [smallest, largest] high word (signed). */
const highs = new Int32Array(2);
/** [smallest low word among the values with the smallest high word, largest among those with the largest] (unsigned). */
const lows = new Float64Array(2);

function highWordExtremes(words: Int32Array, fromWord: number, toWord: number, out: Int32Array): void {
  let min = words[fromWord + 1];
  let max = min;
  out[0] = min;
  out[1] = max;
  for (let i = fromWord + 3; i < toWord; i += 2) {
    const high = words[i];
    min = high < min ? high : min;
    max = high > max ? high : max;
    out[0] = min;
    out[1] = max;
  }
}

function lowWordExtremes(words: Int32Array, fromWord: number, toWord: number, minHigh: number, maxHigh: number, out: Float64Array): void {
  let min = 0xffffffff;
  let max = 0;
  out[0] = min;
  out[1] = max;
  for (let i = fromWord; i < toWord; i += 2) {
    const high = words[i + 1];
    const low = words[i] >>> 0;
    min = high === minHigh && low < min ? low : min;
    max = high === maxHigh && low > max ? low : max;
    out[0] = min;
    out[1] = max;
  }
}
