import type { ByteSink } from './byte-sink';

/** Values in one bit-packed run at most: 63 groups of 8, so its header is one byte (as the parquet crate writes). */
const MAX_PACKED = 63 * 8;

/**
 * Parquet's RLE / bit-packing hybrid encoding (levels and dictionary indices), written run by
 * run: `run(value, count)` appends `count` copies of `value`. A run of 8 or more that starts on a
 * group boundary becomes an RLE run; shorter ones are bit-packed in groups of 8 (the last group
 * padded with zeros, which readers ignore as they know the value count). Values must fit in
 * `bitWidth` bits (0..32). No length prefix: callers that need one (levels in v1 data pages) add it.
 */
export class RleHybridEncoder {
  readonly #sink: ByteSink;
  readonly #bitWidth: number;
  readonly #valueBytes: number;
  readonly #pending = new Int32Array(MAX_PACKED);
  #pendingCount = 0;
  /** The run being extended: consecutive calls with one value make one run. */
  #runValue = 0;
  #runCount = 0;
  #finished = false;

  constructor(sink: ByteSink, bitWidth: number) {
    if (!(Number.isInteger(bitWidth) && bitWidth >= 0 && bitWidth <= 32)) throw new Error(`RLE hybrid: bit width ${bitWidth} outside 0..32`);
    this.#sink = sink;
    this.#bitWidth = bitWidth;
    this.#valueBytes = (bitWidth + 7) >> 3;
  }

  run(value: number, count: number): void {
    if (this.#finished) throw new Error('RLE hybrid: the stream is finished');
    if (count <= 0) return;
    if (this.#runCount > 0 && value !== this.#runValue) this.#emit(this.#runValue, this.#runCount);
    if (this.#runCount > 0 && value === this.#runValue) this.#runCount += count;
    else {
      this.#runValue = value;
      this.#runCount = count;
    }
  }

  /**
   * Writes what is pending and ends the stream: the last bit-packed group is padded with zeros,
   * which a reader that knows the value count ignores, so nothing may follow in this stream.
   */
  finish(): void {
    if (this.#runCount > 0) this.#emit(this.#runValue, this.#runCount);
    this.#runCount = 0;
    this.#flushPacked();
    this.#finished = true;
  }

  #emit(value: number, count: number): void {
    const misaligned = this.#pendingCount & 7;
    if (misaligned !== 0) {
      const fill = Math.min(count, 8 - misaligned);
      this.#pend(value, fill);
      count -= fill;
      if (count === 0) return;
    }
    if (count >= 8) {
      this.#flushPacked();
      this.#sink.uleb(count * 2);
      this.#sink.reserve(this.#valueBytes);
      for (let b = 0, v = value; b < this.#valueBytes; b++, v >>>= 8) this.#sink.buffer[this.#sink.length++] = v & 0xff;
      return;
    }
    this.#pend(value, count);
  }

  #pend(value: number, count: number): void {
    for (let i = 0; i < count; i++) {
      if (this.#pendingCount === MAX_PACKED) this.#flushPacked();
      this.#pending[this.#pendingCount++] = value;
    }
  }

  /** The pending values as one bit-packed run, padded to a whole group of 8. */
  #flushPacked(): void {
    const count = this.#pendingCount;
    if (count === 0) return;
    const groups = (count + 7) >> 3;
    const pending = this.#pending;
    pending.fill(0, count, groups * 8);
    const sink = this.#sink;
    sink.uleb(groups * 2 + 1);
    const width = this.#bitWidth;
    sink.reserve(groups * width);
    const out = sink.buffer;
    let at = sink.length;
    const total = groups * 8;
    if (width === 1) {
      for (let i = 0; i < total; i += 8) {
        out[at++] = pending[i] | (pending[i + 1] << 1) | (pending[i + 2] << 2) | (pending[i + 3] << 3) | (pending[i + 4] << 4) | (pending[i + 5] << 5) | (pending[i + 6] << 6) | (pending[i + 7] << 7);
      }
    } else if (width <= 24) {
      // a 32-bit accumulator: at most 7 bits wait plus a value of up to 24
      let acc = 0;
      let bits = 0;
      for (let i = 0; i < total; i++) {
        acc |= pending[i] << bits;
        bits += width;
        while (bits >= 8) {
          out[at++] = acc & 0xff;
          acc >>>= 8;
          bits -= 8;
        }
      }
    } else {
      let acc = 0;
      let bits = 0;
      for (let i = 0; i < total; i++) {
        let value = pending[i] >>> 0;
        let left = width;
        while (left > 0) {
          const take = Math.min(8 - bits, left);
          acc |= (value & ((1 << take) - 1)) << bits;
          value >>>= take;
          left -= take;
          bits += take;
          if (bits === 8) {
            out[at++] = acc;
            acc = 0;
            bits = 0;
          }
        }
      }
    }
    sink.length = at;
    this.#pendingCount = 0;
  }
}

/** Bits needed for values 0..max. */
export function bitWidthOf(max: number): number {
  return max <= 0 ? 0 : 32 - Math.clz32(max);
}
