/**
 * Id arrays. Real ids are 64-bit (`BigInt64Array`, negative ids included); ids already reduced to
 * table rows may be `Int32Array`. Hot loops never touch a `BigInt`: they read and copy ids through
 * a 32-bit word view of the same buffer (two words per 64-bit id).
 */
export type IdArray = BigInt64Array | Int32Array;
export type IdType = 'int64' | 'int32';

export function idTypeOf(values: IdArray): IdType {
  return values instanceof BigInt64Array ? 'int64' : 'int32';
}

/** 32-bit words per id: 2 for int64, 1 for int32. */
export function wordsPerId(values: IdArray): 1 | 2 {
  return values instanceof BigInt64Array ? 2 : 1;
}

/** An `Int32Array` view over the same memory as `values` (no copy). */
export function idWords(values: IdArray): Int32Array {
  if (values instanceof Int32Array) return values;
  return new Int32Array(values.buffer, values.byteOffset, values.length * 2);
}

/** A new zero-filled id array of the same type as `like`. */
export function allocateIds(like: IdArray | IdType, length: number): IdArray {
  const type = typeof like === 'string' ? like : idTypeOf(like);
  return type === 'int64' ? new BigInt64Array(length) : new Int32Array(length);
}

/** Builds an id array from numbers or bigints (convenience for tests and small inputs). */
export function idsFrom(type: IdType, ids: ArrayLike<number | bigint>): IdArray {
  if (type === 'int32') {
    const out = new Int32Array(ids.length);
    for (let i = 0; i < ids.length; i++) out[i] = Number(ids[i]);
    return out;
  }
  const out = new BigInt64Array(ids.length);
  for (let i = 0; i < ids.length; i++) out[i] = BigInt(ids[i]);
  return out;
}

export function bytesPerId(values: IdArray): number {
  return values.BYTES_PER_ELEMENT;
}
