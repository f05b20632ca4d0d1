/**
 * Parquet's RLE / bit-packing hybrid encoding (definition and repetition levels, dictionary
 * indices), decoded into an Int32Array: runs of one repeated value, and groups of 8 values packed
 * least significant bit first.
 */

/**
 * Decodes `count` values from `bytes[pos..end)` into `out[0..count)`; returns the position after
 * the last run read. Throws when the data ends before `count` values.
 */
export function decodeHybrid(bytes: Uint8Array, pos: number, end: number, bitWidth: number, out: Int32Array, count: number): number {
  if (bitWidth < 0 || bitWidth > 32) throw new Error(`RLE/bit-packed data with a bit width of ${bitWidth}`);
  if (bitWidth === 0) {
    out.fill(0, 0, count);
    return pos;
  }
  const valueBytes = (bitWidth + 7) >> 3;
  let n = 0;
  while (n < count) {
    if (pos >= end) throw new Error(`RLE/bit-packed data ends after ${n} of ${count} values`);
    // varint run header
    let header = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= end || shift > 28) throw new Error('RLE/bit-packed data: bad run header');
      const byte = bytes[pos++];
      header += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) break;
    }
    if (header % 2 === 0) {
      const run = header / 2;
      if (pos + valueBytes > end) throw new Error('RLE/bit-packed data: a run value past the end');
      let value = 0;
      for (let i = 0; i < valueBytes; i++) value += bytes[pos++] * 2 ** (8 * i);
      const stop = Math.min(count, n + run);
      out.fill(value | 0, n, stop);
      n = stop;
    } else {
      const values = ((header - 1) / 2) * 8;
      const runBytes = ((header - 1) / 2) * bitWidth;
      const take = Math.min(values, count - n);
      const needed = Math.ceil((take * bitWidth) / 8);
      if (pos + needed > end) throw new Error('RLE/bit-packed data: a bit-packed run past the end');
      unpack(bytes, pos, bitWidth, out, n, take);
      n += take;
      pos += Math.min(runBytes, end - pos);
    }
  }
  return pos;
}

/** `count` values of `bitWidth` bits from `bytes` at `pos` into `out` at `at`. */
function unpack(bytes: Uint8Array, pos: number, bitWidth: number, out: Int32Array, at: number, count: number): void {
  const stop = at + count;
  if (bitWidth <= 24) {
    // a 32-bit accumulator never overflows: it holds < bitWidth bits before a byte is added
    const mask = (1 << bitWidth) - 1;
    let acc = 0;
    let bits = 0;
    for (let i = at; i < stop; i++) {
      while (bits < bitWidth) {
        acc |= bytes[pos++] << bits;
        bits += 8;
      }
      out[i] = acc & mask;
      acc >>>= bitWidth;
      bits -= bitWidth;
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
 * List row starts from repetition levels when every entry holds a value (no empty lists, no
 * nulls): a level 0 at entry e starts a row at value `base + e`. Works run by run, so a run of
 * 1s (the rest of a long list) costs one step. Writes `offsets[row..]`; returns the next row.
 */
export function rowStartsOfRepetition(bytes: Uint8Array, pos: number, end: number, bitWidth: number, entries: number, offsets: Int32Array, row: number, base: number): number {
  const limit = offsets.length - 1;
  let scratch: Int32Array | undefined;
  let e = 0;
  while (e < entries) {
    if (pos >= end) throw new Error(`RLE/bit-packed data ends after ${e} of ${entries} values`);
    let header = 0;
    for (let shift = 0; ; shift += 7) {
      if (pos >= end || shift > 28) throw new Error('RLE/bit-packed data: bad run header');
      const byte = bytes[pos++];
      header += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) break;
    }
    if (header % 2 === 0) {
      const run = Math.min(header / 2, entries - e);
      const valueBytes = (bitWidth + 7) >> 3;
      if (pos + valueBytes > end) throw new Error('RLE/bit-packed data: a run value past the end');
      let value = 0;
      for (let i = 0; i < valueBytes; i++) value += bytes[pos++] * 2 ** (8 * i);
      if (value === 0) {
        if (row + run > limit) throw new Error('more list rows than the row group has');
        for (let j = 0; j < run; j++) offsets[row++] = base + e + j;
      }
      e += run;
    } else {
      const groups = (header - 1) / 2;
      const take = Math.min(groups * 8, entries - e);
      const needed = Math.ceil((take * bitWidth) / 8);
      if (pos + needed > end) throw new Error('RLE/bit-packed data: a bit-packed run past the end');
      if (scratch === undefined || scratch.length < take) scratch = new Int32Array(Math.max(take, 64));
      unpack(bytes, pos, bitWidth, scratch, 0, take);
      for (let j = 0; j < take; j++) {
        if (scratch[j] === 0) {
          if (row >= limit) throw new Error('more list rows than the row group has');
          offsets[row++] = base + e + j;
        }
      }
      e += take;
      pos += Math.min(groups * bitWidth, end - pos);
    }
  }
  return row;
}

