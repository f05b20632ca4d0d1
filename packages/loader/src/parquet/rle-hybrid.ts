/**
 * Parquet's RLE / bit-packing hybrid encoding (definition and repetition levels, dictionary
 * indices), decoded into an Int32Array: runs of one repeated value, and groups of 8 values packed
 * least significant bit first.
 */

/**
 * Reads the runs of one stream: `next()` reads a run header and sets `packed`, `length` (values
 * in the run, at most those still wanted) and, for an RLE run, `value`; a bit-packed run's values
 * start at byte `start`. Shared by the decoders below so each keeps only its own per-run work.
 */
class RunReader {
  packed = false;
  length = 0;
  value = 0;
  start = 0;
  #pos: number;
  readonly #bytes: Uint8Array;
  readonly #end: number;
  readonly #bitWidth: number;

  constructor(bytes: Uint8Array, pos: number, end: number, bitWidth: number) {
    if (bitWidth < 0 || bitWidth > 32) throw new Error(`RLE/bit-packed data with a bit width of ${bitWidth}`);
    this.#bytes = bytes;
    this.#pos = pos;
    this.#end = end;
    this.#bitWidth = bitWidth;
  }

  get pos(): number {
    return this.#pos;
  }

  /** The next run, of at most `wanted` values (`done` of `total` read so far, for the error). */
  next(wanted: number, done: number, total: number): void {
    const bytes = this.#bytes;
    const end = this.#end;
    let pos = this.#pos;
    if (pos >= end) throw new Error(`RLE/bit-packed data ends after ${done} of ${total} values`);
    let header = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= end || shift > 28) throw new Error('RLE/bit-packed data: bad run header');
      const byte = bytes[pos++];
      header += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) break;
    }
    if (header % 2 === 0) {
      const valueBytes = (this.#bitWidth + 7) >> 3;
      if (pos + valueBytes > end) throw new Error('RLE/bit-packed data: a run value past the end');
      let value = 0;
      for (let i = 0; i < valueBytes; i++) value += bytes[pos++] * 2 ** (8 * i);
      this.packed = false;
      this.value = value;
      this.length = Math.min(header / 2, wanted);
    } else {
      const groups = (header - 1) / 2;
      this.packed = true;
      this.length = Math.min(groups * 8, wanted);
      if (pos + Math.ceil((this.length * this.#bitWidth) / 8) > end) throw new Error('RLE/bit-packed data: a bit-packed run past the end');
      this.start = pos;
      pos += Math.min(groups * this.#bitWidth, end - pos);
    }
    this.#pos = pos;
  }
}

/**
 * Decodes `count` values from `bytes[pos..end)` into `out[0..count)`; returns the position after
 * the last run read. Throws when the data ends before `count` values.
 */
export function decodeHybrid(bytes: Uint8Array, pos: number, end: number, bitWidth: number, out: Int32Array, count: number): number {
  const runs = new RunReader(bytes, pos, end, bitWidth);
  if (bitWidth === 0) {
    out.fill(0, 0, count);
    return pos;
  }
  for (let n = 0; n < count; n += runs.length) {
    runs.next(count - n, n, count);
    if (runs.packed) unpack(bytes, runs.start, bitWidth, out, n, runs.length);
    else out.fill(runs.value | 0, n, n + runs.length);
  }
  return runs.pos;
}

/** `count` values of `bitWidth` bits from `bytes` at `pos` into `out` at `at`. */
function unpack(bytes: Uint8Array, pos: number, bitWidth: number, out: Int32Array, at: number, count: number): void {
  const stop = at + count;
  if (bitWidth <= 24) {
    // each value lies within the 4 bytes from its first one (a shift of at most 7, plus 24 bits):
    // read those 4 as a little-endian word and shift, one load pattern for every width
    const mask = (1 << bitWidth) - 1;
    const last = bytes.length - 4;
    let bit = pos * 8;
    let i = at;
    for (; i < stop; i++, bit += bitWidth) {
      const byte = bit >>> 3;
      if (byte > last) break;
      const word = bytes[byte] | (bytes[byte + 1] << 8) | (bytes[byte + 2] << 16) | (bytes[byte + 3] << 24);
      out[i] = (word >>> (bit & 7)) & mask;
    }
    // the last values of the buffer, byte by byte (never reading past its end)
    for (; i < stop; i++, bit += bitWidth) {
      const byte = bit >>> 3;
      let word = 0;
      for (let b = 0; b < 4 && byte + b < bytes.length; b++) word |= bytes[byte + b] << (8 * b);
      out[i] = (word >>> (bit & 7)) & mask;
    }
    return;
  }
  const scale = 2 ** bitWidth;
  let acc = 0;
  let bits = 0;
  for (let i = at; i < stop; i++) {
    while (bits < bitWidth) {
      acc += bytes[pos++] * 2 ** bits;
      bits += 8;
    }
    out[i] = acc % scale | 0;
    acc = Math.floor(acc / scale);
    bits -= bitWidth;
  }
}

/** Bits needed for values 0..max (the width of levels up to `max`). */
export function bitWidthOf(max: number): number {
  return max === 0 ? 0 : 32 - Math.clz32(max);
}

/**
 * The value of a stream that opens with one RLE run of at least `count` values (definition levels
 * of a page without nulls, the common case), else undefined: the caller then decodes value by value.
 */
export function leadingRunValue(bytes: Uint8Array, pos: number, end: number, bitWidth: number, count: number): number | undefined {
  let header = 0;
  for (let shift = 0; ; shift += 7) {
    if (pos >= end || shift > 28) return undefined;
    const byte = bytes[pos++];
    header += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) break;
  }
  if (header % 2 !== 0 || header / 2 < count) return undefined;
  const valueBytes = (bitWidth + 7) >> 3;
  if (pos + valueBytes > end) return undefined;
  let value = 0;
  for (let i = 0; i < valueBytes; i++) value += bytes[pos + i] * 2 ** (8 * i);
  return value;
}

/**
 * List row starts from repetition levels: a level 0 at entry e starts a row at value `base + e`,
 * less the entries before e that hold no value (`gaps`, ascending: empty lists). Works run by
 * run, so a run of 1s (the rest of a long list) costs one step. Writes `offsets[row..]`; returns
 * the next row.
 */
export function rowStartsOfRepetition(bytes: Uint8Array, pos: number, end: number, bitWidth: number, entries: number, offsets: Int32Array, row: number, base: number, gaps?: Int32Array): number {
  const limit = offsets.length - 1;
  const runs = new RunReader(bytes, pos, end, bitWidth);
  let scratch = new Int32Array(64);
  // entries before e that hold no value (empty lists): a row starting at entry e starts at value e - skipped
  let g = 0;
  const gapCount = gaps === undefined ? 0 : gaps.length;
  const valueAt = (entry: number): number => {
    while (g < gapCount && gaps![g] < entry) g++;
    return base + entry - g;
  };
  for (let e = 0; e < entries; e += runs.length) {
    runs.next(entries - e, e, entries);
    const run = runs.length;
    if (!runs.packed) {
      if (runs.value !== 0) continue;
      if (row + run > limit) throw new Error('more list rows than the row group has');
      for (let j = 0; j < run; j++) offsets[row++] = valueAt(e + j);
      continue;
    }
    if (bitWidth === 1) {
      // one bit per entry: the row starts are the 0 bits, found byte by byte (a byte of 1s, the
      // middle of long lists, costs one test)
      for (let i = 0; i * 8 < run; i++) {
        let zeros = ~bytes[runs.start + i] & lowBits(run - i * 8);
        while (zeros !== 0) {
          const bit = 31 - Math.clz32(zeros & -zeros);
          if (row >= limit) throw new Error('more list rows than the row group has');
          offsets[row++] = valueAt(e + i * 8 + bit);
          zeros &= zeros - 1;
        }
      }
      continue;
    }
    if (scratch.length < run) scratch = new Int32Array(run);
    unpack(bytes, runs.start, bitWidth, scratch, 0, run);
    for (let j = 0; j < run; j++) {
      if (scratch[j] !== 0) continue;
      if (row >= limit) throw new Error('more list rows than the row group has');
      offsets[row++] = valueAt(e + j);
    }
  }
  return row;
}

/** A mask of the low min(count, 8) bits. */
function lowBits(count: number): number {
  return count >= 8 ? 0xff : (1 << count) - 1;
}

/**
 * The entries whose level is below `max` (entries without a value), ascending, read run by run
 * (a long run of `max` costs one step); undefined when one of them is not `allowed` (a null,
 * which the caller reports).
 */
export function entriesBelow(bytes: Uint8Array, pos: number, end: number, bitWidth: number, entries: number, max: number, allowed: number): Int32Array | undefined {
  let out = new Int32Array(64);
  let n = 0;
  const push = (entry: number): void => {
    if (n === out.length) {
      const grown = new Int32Array(out.length * 2);
      grown.set(out);
      out = grown;
    }
    out[n++] = entry;
  };
  const runs = new RunReader(bytes, pos, end, bitWidth);
  let scratch = new Int32Array(64);
  for (let e = 0; e < entries; e += runs.length) {
    runs.next(entries - e, e, entries);
    const run = runs.length;
    if (!runs.packed) {
      if (runs.value === max) continue;
      if (runs.value !== allowed) return undefined;
      for (let j = 0; j < run; j++) push(e + j);
      continue;
    }
    if (bitWidth === 1 && max === 1) {
      // one bit per entry: the entries below max are the 0 bits, found byte by byte
      for (let i = 0; i * 8 < run; i++) {
        let zeros = ~bytes[runs.start + i] & lowBits(run - i * 8);
        if (zeros !== 0 && allowed !== 0) return undefined;
        while (zeros !== 0) {
          push(e + i * 8 + 31 - Math.clz32(zeros & -zeros));
          zeros &= zeros - 1;
        }
      }
      continue;
    }
    if (scratch.length < run) scratch = new Int32Array(run);
    unpack(bytes, runs.start, bitWidth, scratch, 0, run);
    for (let j = 0; j < run; j++) {
      const value = scratch[j];
      if (value === max) continue;
      if (value !== allowed) return undefined;
      push(e + j);
    }
  }
  return out.subarray(0, n);
}
