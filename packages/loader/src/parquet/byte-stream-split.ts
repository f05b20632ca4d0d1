/**
 * BYTE_STREAM_SPLIT values, decoded to PLAIN bytes: the page holds `width` streams (4 for FLOAT,
 * 8 for INT64), stream k holding byte k of every value, each stream as long as the page has
 * values (parquet-format Encodings.md). Value i is bytes `data[pos + k * n + i]` for k = 0..width-1.
 * Widths 4 and 8 assemble 32-bit little-endian words (as the rest of the reader, on a
 * little-endian host); {@link byteStreamSplitNaive} is the byte-by-byte twin they are tested against.
 */
export function byteStreamSplitToPlain(data: Uint8Array, pos: number, count: number, width: number, name: string): Uint8Array {
  const stride = streamLength(data, pos, count, width, name);
  if (width !== 4 && width !== 8) return byteStreamSplitNaive(data, pos, count, width, stride);
  const out = new Int32Array((count * width) / 4);
  const s0 = pos;
  const s1 = s0 + stride;
  const s2 = s1 + stride;
  const s3 = s2 + stride;
  if (width === 4) {
    for (let i = 0; i < count; i++) out[i] = data[s0 + i] | (data[s1 + i] << 8) | (data[s2 + i] << 16) | (data[s3 + i] << 24);
  } else {
    const s4 = s3 + stride;
    const s5 = s4 + stride;
    const s6 = s5 + stride;
    const s7 = s6 + stride;
    for (let i = 0, o = 0; i < count; i++, o += 2) {
      out[o] = data[s0 + i] | (data[s1 + i] << 8) | (data[s2 + i] << 16) | (data[s3 + i] << 24);
      out[o + 1] = data[s4 + i] | (data[s5 + i] << 8) | (data[s6 + i] << 16) | (data[s7 + i] << 24);
    }
  }
  return new Uint8Array(out.buffer);
}

/** The byte-by-byte decoding (any width); `stride` is the length of each stream. */
export function byteStreamSplitNaive(data: Uint8Array, pos: number, count: number, width: number, stride: number): Uint8Array {
  const out = new Uint8Array(count * width);
  for (let k = 0; k < width; k++) {
    for (let i = 0; i < count; i++) out[i * width + k] = data[pos + k * stride + i];
  }
  return out;
}

/** Bytes per stream: the values' bytes divided by the width, at least `count`. */
function streamLength(data: Uint8Array, pos: number, count: number, width: number, name: string): number {
  const bytes = data.length - pos;
  if (bytes < count * width || bytes % width !== 0) {
    throw new Error(`column "${name}": BYTE_STREAM_SPLIT values of ${bytes} bytes for ${count} values of ${width} bytes`);
  }
  return bytes / width;
}
