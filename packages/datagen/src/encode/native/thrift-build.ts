import { ThriftField, ThriftStruct, ThriftValue, WireType } from '../thrift-compact';

/** Small constructors of Thrift compact fields, for the structs a Parquet writer makes (ids ascending). */
export const field = {
  i32: (id: number, value: number): ThriftField => ({ id, type: WireType.I32, value }),
  i16: (id: number, value: number): ThriftField => ({ id, type: WireType.I16, value }),
  i64: (id: number, value: number | bigint): ThriftField => ({ id, type: WireType.I64, value: BigInt(value) }),
  binary: (id: number, value: Uint8Array): ThriftField => ({ id, type: WireType.Binary, value }),
  bool: (id: number, value: boolean): ThriftField => ({ id, type: value ? WireType.True : WireType.False, value }),
  struct: (id: number, fields: (ThriftField | undefined)[]): ThriftField => ({ id, type: WireType.Struct, value: struct(fields) }),
  list: (id: number, elementType: WireType, items: ThriftValue[]): ThriftField => ({ id, type: WireType.List, value: { elementType, containerType: WireType.List, items } }),
};

/** A struct of the given fields, leaving out the undefined ones (optional fields not written). */
export function struct(fields: (ThriftField | undefined)[]): ThriftStruct {
  return { fields: fields.filter((f): f is ThriftField => f !== undefined) };
}
