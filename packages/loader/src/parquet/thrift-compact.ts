/**
 * A reader of Thrift's compact protocol, the encoding of Parquet's footer (FileMetaData) and page
 * headers. Structs come back as maps from field id to value, not as named objects: the Parquet
 * modules pick the fields they need by id (parquet.thrift numbers them) and ignore the rest, so
 * fields added by newer writers are skipped, as Thrift intends.
 */

export type ThriftValue = number | bigint | boolean | Uint8Array | ThriftStruct | ThriftValue[];
export type ThriftStruct = Map<number, ThriftValue>;

/** Compact protocol type ids (the low nibble of a field header). */
const BOOLEAN_TRUE = 1;
const BOOLEAN_FALSE = 2;
const BYTE = 3;
const I16 = 4;
const I32 = 5;
const I64 = 6;
const DOUBLE = 7;
const BINARY = 8;
const LIST = 9;
const SET = 10;
const MAP = 11;
const STRUCT = 12;

/** Nesting deeper than this is not Parquet metadata but a corrupt (or hostile) footer. */
const MAX_DEPTH = 64;

export class ThriftReader {
  readonly #bytes: Uint8Array;
  #pos: number;

  constructor(bytes: Uint8Array, pos = 0) {
    this.#bytes = bytes;
    this.#pos = pos;
  }

  /** Where the next unread byte is (after a struct: the end of its encoding). */
  get pos(): number {
    return this.#pos;
  }

  readStruct(depth = 0): ThriftStruct {
    if (depth > MAX_DEPTH) throw new Error('Thrift: structs nested too deep (corrupt metadata?)');
    const struct: ThriftStruct = new Map();
    let field = 0;
    for (;;) {
      const header = this.#byte();
      if (header === 0) return struct; // stop field
      const type = header & 0x0f;
      const delta = header >> 4;
      field = delta === 0 ? this.#zigzag32() : field + delta;
      if (type === BOOLEAN_TRUE || type === BOOLEAN_FALSE) struct.set(field, type === BOOLEAN_TRUE);
      else struct.set(field, this.#value(type, depth));
    }
  }

  #value(type: number, depth: number): ThriftValue {
    switch (type) {
      case BYTE:
        return (this.#byte() << 24) >> 24;
      case I16:
      case I32:
        return this.#zigzag32();
      case I64:
        return this.#zigzag64();
      case DOUBLE: {
        const view = new DataView(this.#bytes.buffer, this.#bytes.byteOffset + this.#take(8), 8);
        return view.getFloat64(0, true);
      }
      case BINARY: {
        const length = this.#varint();
        const start = this.#take(length);
        return this.#bytes.subarray(start, start + length);
      }
      case LIST:
      case SET: {
        const header = this.#byte();
        const elementType = header & 0x0f;
        const size = header >> 4 === 15 ? this.#varint() : header >> 4;
        if (size > this.#bytes.length - this.#pos) throw new Error(`Thrift: a list of ${size} elements in ${this.#bytes.length - this.#pos} bytes (corrupt metadata?)`);
        const list: ThriftValue[] = new Array(size);
        for (let i = 0; i < size; i++) {
          // booleans in a list are one byte each: 1 true, anything else false
          list[i] = elementType === BOOLEAN_TRUE || elementType === BOOLEAN_FALSE ? this.#byte() === BOOLEAN_TRUE : this.#value(elementType, depth + 1);
        }
        return list;
      }
      case MAP: {
        // Parquet has no map fields; read and drop one so a newer footer still parses
        const size = this.#varint();
        if (size > 0) {
          const types = this.#byte();
          for (let i = 0; i < size; i++) {
            this.#value(types >> 4, depth + 1);
            this.#value(types & 0x0f, depth + 1);
          }
        }
        return [];
      }
      case STRUCT:
        return this.readStruct(depth + 1);
      default:
        throw new Error(`Thrift: unknown field type ${type} at byte ${this.#pos} (corrupt metadata?)`);
    }
  }

  #byte(): number {
    if (this.#pos >= this.#bytes.length) throw new Error('Thrift: unexpected end of data (truncated metadata?)');
    return this.#bytes[this.#pos++];
  }

  #take(length: number): number {
    const start = this.#pos;
    if (start + length > this.#bytes.length) throw new Error('Thrift: unexpected end of data (truncated metadata?)');
    this.#pos += length;
    return start;
  }

  #varint(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const byte = this.#byte();
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7;
      if (shift > 49) throw new Error('Thrift: varint too long (corrupt metadata?)');
    }
  }

  #zigzag32(): number {
    const n = this.#varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  #zigzag64(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.#byte();
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) break;
      shift += 7n;
      if (shift > 63n) throw new Error('Thrift: varint too long (corrupt metadata?)');
    }
    return (result >> 1n) ^ -(result & 1n);
  }
}

/** Typed access to a struct's fields, with the field's name for errors. */
export function field<T extends ThriftValue>(struct: ThriftStruct, id: number, name: string, check: (value: ThriftValue) => value is T): T {
  const value = struct.get(id);
  if (value === undefined || !check(value)) throw new Error(`Parquet metadata: field ${name} (${id}) is missing or of the wrong type`);
  return value;
}

export const isNumber = (value: ThriftValue): value is number => typeof value === 'number';
export const isBigInt = (value: ThriftValue): value is bigint => typeof value === 'bigint';
export const isStruct = (value: ThriftValue): value is ThriftStruct => value instanceof Map;
export const isList = (value: ThriftValue): value is ThriftValue[] => Array.isArray(value);
export const isBinary = (value: ThriftValue): value is Uint8Array => value instanceof Uint8Array;

/** An i64 field as a number (offsets and sizes in a file fit in 2^53). */
export function int64Field(struct: ThriftStruct, id: number, name: string): number {
  const value = struct.get(id);
  if (typeof value === 'number') return value;
  if (typeof value !== 'bigint') throw new Error(`Parquet metadata: field ${name} (${id}) is missing or of the wrong type`);
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`Parquet metadata: field ${name} = ${value} is out of range`);
  return Number(value);
}
