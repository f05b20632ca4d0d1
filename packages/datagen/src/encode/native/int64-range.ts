/**
 * The smallest and largest of int64 values (compared signed), folded in stretch by stretch:
 * values given as 32-bit word pairs (low word first). Each stretch takes branch-free passes (its
 * extreme high words, then the extreme low words among the values that have them), and its
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
    let minHigh = words[fromWord + 1];
    let maxHigh = minHigh;
    for (let i = fromWord + 3; i < toWord; i += 2) {
      const high = words[i];
      minHigh = high < minHigh ? high : minHigh;
      maxHigh = high > maxHigh ? high : maxHigh;
    }
    let minLow = 0xffffffff;
    let maxLow = 0;
    if (minHigh === maxHigh) {
      for (let i = fromWord; i < toWord; i += 2) {
        const low = words[i] >>> 0;
        minLow = low < minLow ? low : minLow;
        maxLow = low > maxLow ? low : maxLow;
      }
    } else {
      for (let i = fromWord; i < toWord; i += 2) {
        const high = words[i + 1];
        const low = words[i] >>> 0;
        if (high === minHigh && low < minLow) minLow = low;
        if (high === maxHigh && low > maxLow) maxLow = low;
      }
    }
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
