/** Below this many words a loop beats `set(subarray(...))`, whose view allocation and call cost about a 100-word loop here. */
const SHORT_COPY = 96;

export function copyWords(source: Int32Array, from: number, target: Int32Array, to: number, count: number): void {
  if (count < SHORT_COPY) {
    for (let j = 0; j < count; j++) target[to + j] = source[from + j];
  } else {
    target.set(source.subarray(from, from + count), to);
  }
}

/** A copy of `array` in a buffer twice as long (scratch arrays grow by doubling). */
export function doubled(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}
