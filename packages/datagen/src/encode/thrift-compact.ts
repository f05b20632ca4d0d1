/**
 * Thrift compact protocol, generically: a struct is read into its fields in wire order (id, wire
 * type, value) and written back the same way, so an unmodified struct re-encodes to the same bytes
 * (for writers that use the short field-header form whenever the id delta is 1..15, as the parquet
 * crate does). Used to rewrite Parquet footers and offset indexes (see stitch-parquet.ts).
 *
 * Wire types: 1/2 bool true/false (in a field header), 3 byte, 4 i16, 5 i32, 6 i64, 7 double,
 * 8 binary, 9 list, 10 set, 11 map, 12 struct. Integers are zigzag varints; i64 values are bigints.
 */
export const enum WireType {
  True = 1,
  False = 2,
  Byte = 3,
  I16 = 4,
  I32 = 5,
  I64 = 6,
  Double = 7,
  Binary = 8,
  List = 9,
  Set = 10,
  Map = 11,
  Struct = 12,
}

export type ThriftValue = boolean | number | bigint | Uint8Array | ThriftList | ThriftMap | ThriftStruct;

export interface ThriftField {
  id: number;
  type: WireType;
  value: ThriftValue;
}

export interface ThriftStruct {
  fields: ThriftField[];
}

export interface ThriftList {
  elementType: WireType;
  /** 9 (list) or 10 (set). */
  containerType: WireType.List | WireType.Set;
  items: ThriftValue[];
}

export interface ThriftMap {
  keyType: WireType;
  valueType: WireType;
  entries: [ThriftValue, ThriftValue][];
}

/** Reads one struct at `bytes[offset]`; returns it and the offset after it. */
export function readThriftStruct(bytes: Uint8Array, offset = 0): { struct: ThriftStruct; end: number } {
  const reader = new CompactReader(bytes, offset);
  const struct = reader.struct();
  return { struct, end: reader.offset };
}

export function writeThriftStruct(struct: ThriftStruct): Uint8Array {
  const writer = new CompactWriter();
  writer.struct(struct);
  return writer.bytes();
}

/** The field `id` of `struct`, or undefined. */
export function thriftField(struct: ThriftStruct, id: number): ThriftField | undefined {
  return struct.fields.find((field) => field.id === id);
}

class CompactReader {
  offset: number;
  readonly #bytes: Uint8Array;
  readonly #view: DataView;

  constructor(bytes: Uint8Array, offset: number) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.offset = offset;
  }

  struct(): ThriftStruct {
    const fields: ThriftField[] = [];
    let lastId = 0;
    for (;;) {
      const header = this.#byte();
      if (header === 0) return { fields };
      const type = (header & 0x0f) as WireType;
      const delta = header >> 4;
      const id = delta === 0 ? this.#zigzag32() : lastId + delta;
      lastId = id;
      const value = type === WireType.True || type === WireType.False ? type === WireType.True : this.#value(type);
      fields.push({ id, type, value });
    }
  }

  #value(type: WireType): ThriftValue {
    switch (type) {
      case WireType.True:
      case WireType.False:
        return this.#byte() === 1; // a bool element of a list, set or map
      case WireType.Byte:
        return this.#byte();
      case WireType.I16:
      case WireType.I32:
        return this.#zigzag32();
      case WireType.I64:
        return this.#zigzag64();
      case WireType.Double: {
        const value = this.#view.getFloat64(this.offset, true);
        this.offset += 8;
        return value;
      }
      case WireType.Binary: {
        const length = Number(this.#varint());
        const value = this.#bytes.slice(this.offset, this.offset + length);
        this.offset += length;
        return value;
      }
      case WireType.List:
      case WireType.Set: {
        const header = this.#byte();
        const size = header >> 4 === 15 ? Number(this.#varint()) : header >> 4;
        const elementType = (header & 0x0f) as WireType;
        const items: ThriftValue[] = [];
        for (let i = 0; i < size; i++) items.push(this.#value(elementType));
        return { elementType, containerType: type, items };
      }
      case WireType.Map: {
        const size = Number(this.#varint());
        if (size === 0) return { keyType: WireType.Byte, valueType: WireType.Byte, entries: [] };
        const types = this.#byte();
        const keyType = (types >> 4) as WireType;
        const valueType = (types & 0x0f) as WireType;
        const entries: [ThriftValue, ThriftValue][] = [];
        for (let i = 0; i < size; i++) entries.push([this.#value(keyType), this.#value(valueType)]);
        return { keyType, valueType, entries };
      }
      case WireType.Struct:
        return this.struct();
      default:
        throw new Error(`thrift compact: unknown wire type ${type} at byte ${this.offset}`);
    }
  }

  #byte(): number {
    if (this.offset >= this.#bytes.length) throw new Error('thrift compact: unexpected end of input');
    return this.#bytes[this.offset++];
  }

  #varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.#byte();
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  }

  #zigzag32(): number {
    return Number(unzigzag(this.#varint()));
  }

  #zigzag64(): bigint {
    return unzigzag(this.#varint());
  }
}

function unzigzag(value: bigint): bigint {
  return (value >> 1n) ^ -(value & 1n);
}

class CompactWriter {
  #buffer = new Uint8Array(1024);
  #length = 0;

  bytes(): Uint8Array {
    return this.#buffer.slice(0, this.#length);
  }

  struct(struct: ThriftStruct): void {
    let lastId = 0;
    for (const field of struct.fields) {
      const type = field.type === WireType.True || field.type === WireType.False ? (field.value ? WireType.True : WireType.False) : field.type;
      const delta = field.id - lastId;
      if (delta > 0 && delta <= 15) this.#byte((delta << 4) | type);
      else {
        this.#byte(type);
        this.#varint(zigzag(BigInt(field.id)));
      }
      lastId = field.id;
      if (type !== WireType.True && type !== WireType.False) this.#value(type, field.value);
    }
    this.#byte(0);
  }

  #value(type: WireType, value: ThriftValue): void {
    switch (type) {
      case WireType.True:
      case WireType.False:
        this.#byte(value ? 1 : 2);
        return;
      case WireType.Byte:
        this.#byte(value as number);
        return;
      case WireType.I16:
      case WireType.I32:
        this.#varint(zigzag(BigInt(value as number)));
        return;
      case WireType.I64:
        this.#varint(zigzag(value as bigint));
        return;
      case WireType.Double: {
        this.#reserve(8);
        new DataView(this.#buffer.buffer).setFloat64(this.#length, value as number, true);
        this.#length += 8;
        return;
      }
      case WireType.Binary: {
        const bytes = value as Uint8Array;
        this.#varint(BigInt(bytes.length));
        this.#reserve(bytes.length);
        this.#buffer.set(bytes, this.#length);
        this.#length += bytes.length;
        return;
      }
      case WireType.List:
      case WireType.Set: {
        const list = value as ThriftList;
        const size = list.items.length;
        if (size < 15) this.#byte((size << 4) | list.elementType);
        else {
          this.#byte(0xf0 | list.elementType);
          this.#varint(BigInt(size));
        }
        for (const item of list.items) this.#value(list.elementType, item);
        return;
      }
      case WireType.Map: {
        const map = value as ThriftMap;
        this.#varint(BigInt(map.entries.length));
        if (map.entries.length === 0) return;
        this.#byte((map.keyType << 4) | map.valueType);
        for (const [key, entry] of map.entries) {
          this.#value(map.keyType, key);
          this.#value(map.valueType, entry);
        }
        return;
      }
      case WireType.Struct:
        this.struct(value as ThriftStruct);
        return;
      default:
        throw new Error(`thrift compact: unknown wire type ${type}`);
    }
  }

  #byte(value: number): void {
    this.#reserve(1);
    this.#buffer[this.#length++] = value;
  }

  #varint(value: bigint): void {
    let rest = value;
    for (;;) {
      if (rest < 0x80n) {
        this.#byte(Number(rest));
        return;
      }
      this.#byte(Number(rest & 0x7fn) | 0x80);
      rest >>= 7n;
    }
  }

  #reserve(count: number): void {
    if (this.#length + count <= this.#buffer.length) return;
    let capacity = this.#buffer.length * 2;
    while (capacity < this.#length + count) capacity *= 2;
    const grown = new Uint8Array(capacity);
    grown.set(this.#buffer.subarray(0, this.#length));
    this.#buffer = grown;
  }
}

function zigzag(value: bigint): bigint {
  return BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
}
