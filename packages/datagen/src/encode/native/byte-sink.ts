/**
 * An append-only byte buffer that grows by doubling, with the small writes Parquet pages need:
 * bytes, little-endian words and ULEB128 varints (unsigned, and zigzag for signed values given as
 * doubles within ±2^52 or as bigints).
 */
export class ByteSink {
  buffer: Uint8Array;
  length = 0;

  constructor(capacity = 1024) {
    this.buffer = new Uint8Array(Math.max(16, capacity));
  }

  /** Makes room for `more` bytes after `length`. */
  reserve(more: number): void {
    const needed = this.length + more;
    if (needed <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(needed, this.buffer.length * 2));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  byte(value: number): void {
    if (this.length === this.buffer.length) this.reserve(1);
    this.buffer[this.length++] = value;
  }

  bytes(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** A 32-bit little-endian unsigned integer at `at` (already written), e.g. a length filled in later. */
  setUint32At(at: number, value: number): void {
    this.buffer[at] = value & 0xff;
    this.buffer[at + 1] = (value >>> 8) & 0xff;
    this.buffer[at + 2] = (value >>> 16) & 0xff;
    this.buffer[at + 3] = (value >>> 24) & 0xff;
  }

  /** ULEB128 of a non-negative integer below 2^53. */
  uleb(value: number): void {
    this.reserve(8);
    while (value >= 0x80) {
      this.buffer[this.length++] = (value % 0x80) | 0x80;
      value = Math.floor(value / 0x80);
    }
    this.buffer[this.length++] = value;
  }

  /** Zigzag ULEB128 of an integer within ±2^52. */
  zigzag(value: number): void {
    this.uleb(value >= 0 ? 2 * value : -2 * value - 1);
  }

  /** Zigzag ULEB128 of any signed 64-bit integer. */
  zigzagBig(value: bigint): void {
    let zigzag = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
    this.reserve(10);
    while (zigzag >= 0x80n) {
      this.buffer[this.length++] = Number(zigzag & 0x7fn) | 0x80;
      zigzag >>= 7n;
    }
    this.buffer[this.length++] = Number(zigzag);
  }

  /** The bytes written so far (a view: valid until the next write). */
  view(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }

  clear(): void {
    this.length = 0;
  }
}
