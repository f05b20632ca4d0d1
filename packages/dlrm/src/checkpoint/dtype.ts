/** The safetensors dtypes this package reads and writes (all little-endian). */
export type DType = 'F32' | 'I32' | 'I64';

export interface TensorDataOf {
  F32: Float32Array;
  I32: Int32Array;
  I64: BigInt64Array;
}

export type TensorData = TensorDataOf[DType];

/** A named tensor's contents: row-major `data` of `product(shape)` elements (`[]` is a scalar). */
export type Tensor = { [D in DType]: { dtype: D; shape: readonly number[]; data: TensorDataOf[D] } }[DType];

interface DTypeInfo {
  readonly bytes: number;
  readonly array: Float32ArrayConstructor | Int32ArrayConstructor | BigInt64ArrayConstructor;
}

export const DTYPES: Readonly<Record<DType, DTypeInfo>> = {
  F32: { bytes: 4, array: Float32Array },
  I32: { bytes: 4, array: Int32Array },
  I64: { bytes: 8, array: BigInt64Array },
};

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && Object.hasOwn(DTYPES, value);
}

/** Elements in a shape, or -1 if it is not an array of non-negative safe integers. */
export function elementCount(shape: unknown): number {
  if (!Array.isArray(shape)) return -1;
  let count = 1;
  for (const dim of shape) {
    if (!Number.isSafeInteger(dim) || dim < 0) return -1;
    count *= dim;
  }
  return Number.isSafeInteger(count) ? count : -1;
}

/** Typed arrays here view the file's bytes directly, so the host must be little-endian like the format. */
export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** A typed-array view of `length` elements of `dtype` at `byteOffset` (which must be aligned). */
export function viewOf(dtype: DType, buffer: ArrayBufferLike, byteOffset: number, length: number): TensorData {
  switch (dtype) {
    case 'F32':
      return new Float32Array(buffer, byteOffset, length);
    case 'I32':
      return new Int32Array(buffer, byteOffset, length);
    case 'I64':
      return new BigInt64Array(buffer, byteOffset, length);
  }
}
