/**
 * DELTA_BINARY_PACKED values of an INT64 column, decoded to PLAIN bytes (little-endian 8-byte
 * words), so the reader's PLAIN path takes them from there. Format (parquet-format Encodings.md):
 *
 *   header: <block size> <miniblocks per block> <value count> <first value (zigzag)>, ULEB128 varints
 *   block:  <min delta (zigzag varint)> <one bit-width byte per miniblock> <miniblocks>
 *
 * each miniblock holding `block size / miniblocks` deltas minus the block's min delta, bit-packed
 * LSB first at its bit width (0..64). value[i] = value[i-1] + min delta + packed delta, wrapping
 * at 64 bits. A last miniblock may be cut short by the end of the data (no padding needed), and
 * miniblocks past the last value are absent whatever their widths say.
 *
 * Arithmetic runs on 32-bit halves with explicit carries (no BigInt per value); the tests hold it
 * against a BigInt twin and against parquet-wasm.
 */
export function deltaBinaryPackedToPlain(data: Uint8Array, pos: number, count: number, name: string): Uint8Array {
  const out = new Int32Array(2 * count);
  if (count === 0) return new Uint8Array(0);
  const reader = { pos };
  const fail = (what: string): never => {
    throw new Error(`column "${name}": DELTA_BINARY_PACKED ${what}`);
  };
  const blockSize = varint32(data, reader, fail);
  const miniblocks = varint32(data, reader, fail);
  const total = varint32(data, reader, fail);
  if (blockSize <= 0 || blockSize % 128 !== 0 || miniblocks <= 0 || blockSize % miniblocks !== 0 || (blockSize / miniblocks) % 32 !== 0) {
    fail(`header: block size ${blockSize} with ${miniblocks} miniblocks`);
  }
  if (total < count) fail(`holds ${total} values, the page has ${count}`);
  const perMiniblock = blockSize / miniblocks;
  const word = zigzag64(data, reader, fail);
  let lo = word.lo;
  let hi = word.hi;
  if (count > 0) {
    out[0] = lo;
    out[1] = hi;
  }
  let i = 1;
  while (i < count) {
    const min = zigzag64(data, reader, fail);
    const widths = reader.pos;
    reader.pos += miniblocks;
    if (reader.pos > data.length) fail('block runs past the page');
    for (let m = 0; m < miniblocks && i < count; m++) {
      const width = data[widths + m];
      if (width > 64) fail(`bit width ${width}`);
      const start = reader.pos * 8;
      const n = Math.min(perMiniblock, count - i);
      for (let j = 0; j < n; j++, i++) {
        const bit = start + j * width;
        // packed delta (plo, phi), then delta = min + packed, then value += delta (each with its carry)
        const plo = width === 0 ? 0 : bitsAt(data, bit, Math.min(width, 32));
        const phi = width <= 32 ? 0 : bitsAt(data, bit + 32, width - 32);
        let sum = (min.lo >>> 0) + (plo >>> 0);
        const dlo = sum >>> 0;
        const dhi = (min.hi + phi + (sum > 0xffffffff ? 1 : 0)) | 0;
        sum = (lo >>> 0) + dlo;
        lo = sum | 0;
        hi = (hi + dhi + (sum > 0xffffffff ? 1 : 0)) | 0;
        out[2 * i] = lo;
        out[2 * i + 1] = hi;
      }
      reader.pos += (perMiniblock * width) / 8;
      if (i < count && reader.pos > data.length) fail('miniblock runs past the page');
    }
  }
  return new Uint8Array(out.buffer);
}

/** `width` (1..32) bits at bit offset `bit`, LSB first; bytes past the end read as 0. */
function bitsAt(data: Uint8Array, bit: number, width: number): number {
  const at = bit >>> 3;
  const shift = bit & 7;
  let value: number;
  if (at + 4 < data.length) {
    value = (data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) | (data[at + 3] << 24)) >>> shift;
    if (shift + width > 32) value |= data[at + 4] << (32 - shift);
  } else {
    value = (byteAt(data, at) | (byteAt(data, at + 1) << 8) | (byteAt(data, at + 2) << 16) | (byteAt(data, at + 3) << 24)) >>> shift;
    if (shift + width > 32) value |= byteAt(data, at + 4) << (32 - shift);
  }
  return width === 32 ? value | 0 : value & ((1 << width) - 1);
}

function byteAt(data: Uint8Array, index: number): number {
  return index < data.length ? data[index] : 0;
}

function varint32(data: Uint8Array, reader: { pos: number }, fail: (what: string) => never): number {
  let value = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (reader.pos >= data.length) fail('header runs past the page');
    const byte = data[reader.pos++];
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return value <= 0x7fffffff ? value : fail(`header value ${value}`);
  }
  return fail('varint longer than 5 bytes');
}

/** A zigzag ULEB128 int64 as 32-bit halves. */
function zigzag64(data: Uint8Array, reader: { pos: number }, fail: (what: string) => never): { lo: number; hi: number } {
  let lo = 0;
  let hi = 0;
  for (let shift = 0; ; shift += 7) {
    if (shift > 63) fail('varint longer than 10 bytes');
    if (reader.pos >= data.length) fail('runs past the page');
    const byte = data[reader.pos++];
    const bits = byte & 0x7f;
    if (shift < 32) {
      lo |= bits << shift;
      if (shift > 25) hi |= bits >>> (32 - shift);
    } else {
      hi |= bits << (shift - 32);
    }
    if (byte < 0x80) break;
  }
  // zigzag: (n >>> 1) ^ -(n & 1), on 64 bits
  const negative = -(lo & 1);
  const zlo = ((lo >>> 1) | (hi << 31)) ^ negative;
  const zhi = (hi >>> 1) ^ negative;
  return { lo: zlo | 0, hi: zhi | 0 };
}
