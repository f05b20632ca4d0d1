import * as fs from 'node:fs';

/**
 * Blocks of typed arrays in a temporary file, for spilling partitions and sample runs to disk.
 * A block is a header (array count, then type and byte length per array) and the arrays' bytes;
 * reading fills fresh typed arrays directly from the file. Machine byte order: spill files live
 * only as long as one run.
 */
export type SpillArray = Float32Array | Float64Array | Int32Array | BigInt64Array | Uint8Array;

const TYPES = [Float32Array, Float64Array, Int32Array, BigInt64Array, Uint8Array] as const;

/** By the type's name, not instanceof: arrays from a worker thread are of the main realm's types, which a test runner's realm does not share. */
function typeCode(array: SpillArray): number {
  const code = TYPES.findIndex((type) => array[Symbol.toStringTag] === type.name);
  if (code < 0) throw new TypeError('spill: unsupported array type');
  return code;
}

/** Appends one block to an open file descriptor; returns the bytes written. */
export function writeBlock(fd: number, arrays: readonly SpillArray[]): number {
  const header = new Uint32Array(1 + 2 * arrays.length);
  header[0] = arrays.length;
  arrays.forEach((array, i) => {
    header[1 + 2 * i] = typeCode(array);
    header[2 + 2 * i] = array.byteLength;
  });
  let written = writeAll(fd, new Uint8Array(header.buffer));
  for (const array of arrays) written += writeAll(fd, new Uint8Array(array.buffer, array.byteOffset, array.byteLength));
  return written;
}

function writeAll(fd: number, bytes: Uint8Array): number {
  let offset = 0;
  while (offset < bytes.byteLength) offset += fs.writeSync(fd, bytes, offset, bytes.byteLength - offset);
  return bytes.byteLength;
}

/** Reads the blocks of a spill file one at a time (bounded memory: one block). */
export class SpillReader {
  readonly #fd: number;
  #position = 0;

  constructor(path: string) {
    this.#fd = fs.openSync(path, 'r');
  }

  /** The next block, or undefined at the end of the file. */
  next(): SpillArray[] | undefined {
    const count = new Uint32Array(1);
    if (this.#read(new Uint8Array(count.buffer)) === 0) return undefined;
    const header = new Uint32Array(2 * count[0]);
    this.#readExactly(new Uint8Array(header.buffer));
    const arrays: SpillArray[] = [];
    for (let i = 0; i < count[0]; i++) {
      const Type = TYPES[header[2 * i]];
      const array = new Type(header[2 * i + 1] / Type.BYTES_PER_ELEMENT);
      this.#readExactly(new Uint8Array(array.buffer));
      arrays.push(array);
    }
    return arrays;
  }

  close(): void {
    fs.closeSync(this.#fd);
  }

  #read(target: Uint8Array): number {
    let offset = 0;
    while (offset < target.byteLength) {
      const got = fs.readSync(this.#fd, target, offset, target.byteLength - offset, this.#position);
      if (got === 0) break;
      offset += got;
      this.#position += got;
    }
    return offset;
  }

  #readExactly(target: Uint8Array): void {
    if (this.#read(target) !== target.byteLength) throw new Error('spill file is truncated');
  }
}
