import type { ByteSink } from './byte-sink';

const BLOCK = 128;
const MINIBLOCKS = 4;
const MINIBLOCK = BLOCK / MINIBLOCKS;
const TWO_32 = 4294967296;
/** |value| below 2^51 (high word within ±2^19): deltas and their zigzag fit exactly in doubles. */
const SAFE_HIGH = 1 << 19;

/**
 * DELTA_BINARY_PACKED for int64 values (given as 32-bit word pairs, low word first; values
 * `from`..`to`): blocks of 128 deltas in 4 miniblocks of 32, each miniblock bit-packed at its own
 * width above the block's smallest delta. Values within ±2^51 (times, ids) take a path in doubles;
 * any others go through bigints, with deltas wrapping modulo 2^64 as the format says.
 */
export function encodeDeltaBinaryPacked(words: Int32Array, from: number, to: number, sink: ByteSink): void {
  const count = to - from;
  sink.uleb(BLOCK);
  sink.uleb(MINIBLOCKS);
  sink.uleb(count);
  if (withinDoubles(words, from, to)) encodeSafe(words, from, to, sink);
  else encodeBig(words, from, to, sink);
}

/** Whether every value `from`..`to` is within ±2^51 (a loop-only function: V8 then reuses its loop's compiled code without deoptimizing). */
function withinDoubles(words: Int32Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const high = words[2 * i + 1];
    if (high < -SAFE_HIGH || high >= SAFE_HIGH) return false;
  }
  return true;
}

function valueAt(words: Int32Array, i: number): number {
  return words[2 * i + 1] * TWO_32 + (words[2 * i] >>> 0);
}

function encodeSafe(words: Int32Array, from: number, to: number, sink: ByteSink): void {
  sink.zigzag(to > from ? valueAt(words, from) : 0);
  const deltas = new Float64Array(BLOCK);
  const widths = new Int32Array(MINIBLOCKS);
  const bits = new BitWriter(sink);
  // one call per block: a small function V8 optimizes once, not a long loop compiled on the stack
  for (let start = from + 1; start < to; start += BLOCK) encodeSafeBlock(words, start, Math.min(BLOCK, to - start), deltas, widths, bits, sink);
}

/** One block of `n` deltas (values `start - 1`..`start + n - 1`): its minimum, miniblock widths and packed miniblocks. */
function encodeSafeBlock(words: Int32Array, start: number, n: number, deltas: Float64Array, widths: Int32Array, bits: BitWriter, sink: ByteSink): void {
  let min = Infinity;
  let previous = valueAt(words, start - 1);
  for (let k = 0; k < n; k++) {
    const value = valueAt(words, start + k);
    const delta = value - previous;
    previous = value;
    deltas[k] = delta;
    if (delta < min) min = delta;
  }
  sink.zigzag(min);
  widths.fill(0);
  for (let m = 0; m * MINIBLOCK < n; m++) {
    let max = 0;
    for (let k = m * MINIBLOCK; k < Math.min(n, (m + 1) * MINIBLOCK); k++) {
      const relative = deltas[k] - min;
      deltas[k] = relative;
      if (relative > max) max = relative;
    }
    widths[m] = widthOf(max);
  }
  for (let m = 0; m < MINIBLOCKS; m++) sink.byte(widths[m]);
  deltas.fill(0, n);
  for (let m = 0; m * MINIBLOCK < n; m++) {
    const width = widths[m];
    if (width <= 24) packNarrow(deltas, m * MINIBLOCK, width, sink);
    else for (let k = m * MINIBLOCK; k < (m + 1) * MINIBLOCK; k++) bits.write(deltas[k] >>> 0, Math.floor(deltas[k] / TWO_32), width);
  }
}

function encodeBig(words: Int32Array, from: number, to: number, sink: ByteSink): void {
  const big = (i: number): bigint => (BigInt(words[2 * i + 1]) << 32n) | BigInt(words[2 * i] >>> 0);
  sink.zigzagBig(to > from ? big(from) : 0n);
  const bits = new BitWriter(sink);
  const deltas: bigint[] = new Array(BLOCK);
  for (let start = from + 1; start < to; start += BLOCK) {
    const n = Math.min(BLOCK, to - start);
    let min: bigint | undefined;
    for (let k = 0; k < n; k++) {
      const delta = BigInt.asIntN(64, big(start + k) - big(start + k - 1));
      deltas[k] = delta;
      if (min === undefined || delta < min) min = delta;
    }
    sink.zigzagBig(min!);
    const widths = [0, 0, 0, 0];
    for (let m = 0; m * MINIBLOCK < n; m++) {
      let max = 0n;
      for (let k = m * MINIBLOCK; k < Math.min(n, (m + 1) * MINIBLOCK); k++) {
        const relative = BigInt.asUintN(64, deltas[k] - min!);
        deltas[k] = relative;
        if (relative > max) max = relative;
      }
      widths[m] = max === 0n ? 0 : max.toString(2).length;
    }
    for (const width of widths) sink.byte(width);
    for (let m = 0; m * MINIBLOCK < n; m++) {
      for (let k = m * MINIBLOCK; k < (m + 1) * MINIBLOCK; k++) {
        const relative = k < n ? deltas[k] : 0n;
        bits.write(Number(relative & 0xffffffffn), Number(relative >> 32n), widths[m]);
      }
    }
  }
}

/** One miniblock of values below 2^24, through a 32-bit accumulator (32 values end on a byte boundary). */
function packNarrow(values: Float64Array, start: number, width: number, sink: ByteSink): void {
  sink.reserve(4 * width);
  const out = sink.buffer;
  let at = sink.length;
  let acc = 0;
  let bits = 0;
  for (let k = start; k < start + MINIBLOCK; k++) {
    acc |= values[k] << bits;
    bits += width;
    while (bits >= 8) {
      out[at++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  sink.length = at;
}

/** Bits needed for a non-negative integer below 2^53. */
function widthOf(value: number): number {
  if (value < TWO_32) return 32 - Math.clz32(value);
  return 64 - Math.clz32(Math.floor(value / TWO_32));
}

/** LSB-first bit packing of values up to 64 bits (given as low and high 32-bit words). */
class BitWriter {
  readonly #sink: ByteSink;
  #acc = 0;
  #bits = 0;

  constructor(sink: ByteSink) {
    this.#sink = sink;
  }

  write(low: number, high: number, width: number): void {
    if (width <= 32) this.#write32(low, width);
    else {
      this.#write32(low, 32);
      this.#write32(high, width - 32);
    }
  }

  /** Miniblocks hold 32 values, so each ends on a byte boundary: nothing is left over between them. */
  #write32(value: number, width: number): void {
    const sink = this.#sink;
    sink.reserve(5);
    const out = sink.buffer;
    let acc = this.#acc;
    let bits = this.#bits;
    value >>>= 0;
    while (width > 0) {
      const take = Math.min(8 - bits, width);
      acc |= (value & ((1 << take) - 1)) << bits;
      value = value >>> take;
      width -= take;
      bits += take;
      if (bits === 8) {
        out[sink.length++] = acc;
        acc = 0;
        bits = 0;
      }
    }
    this.#acc = acc;
    this.#bits = bits;
  }
}
