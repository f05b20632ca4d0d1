import type { RunBlock, RunSource } from './sample-runs';
import { compareInt64 } from './int64-words';

interface Cursor {
  source: RunSource;
  block: RunBlock;
  row: number;
  sessionWords: Int32Array;
  userWords: Int32Array;
}

/**
 * K-way merge of sorted runs into one order: by key, then session id, then the sample's index
 * in its session, then user id (a total order, so the result does not depend on how the log
 * was partitioned). Emits stretches of consecutive rows of one block (`emit(block, from, to)`),
 * so a session that comes whole from one run is copied as a range.
 */
export async function mergeRuns(
  sources: readonly RunSource[],
  columnIndex: { sessionId: number; userId: number },
  emit: (block: RunBlock, from: number, to: number) => void | Promise<void>,
): Promise<void> {
  const heap: Cursor[] = [];
  const open = (source: RunSource): Cursor | undefined => {
    const block = source.nextBlock();
    if (!block) {
      source.close();
      return undefined;
    }
    return { source, block, row: 0, sessionWords: wordsOf(block, columnIndex.sessionId), userWords: wordsOf(block, columnIndex.userId) };
  };
  const less = (a: Cursor, i: number, b: Cursor, j: number): boolean => {
    const keyA = a.block.key[i];
    const keyB = b.block.key[j];
    if (keyA !== keyB) return keyA < keyB;
    const bySession = compareInt64(a.sessionWords, i, b.sessionWords, j);
    if (bySession !== 0) return bySession < 0;
    const subA = a.block.sub[i];
    const subB = b.block.sub[j];
    if (subA !== subB) return subA < subB;
    return compareInt64(a.userWords, i, b.userWords, j) < 0;
  };
  const cursorLess = (a: Cursor, b: Cursor): boolean => less(a, a.row, b, b.row);
  const push = (cursor: Cursor): void => {
    heap.push(cursor);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!cursorLess(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  };
  const pop = (): Cursor => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < heap.length && cursorLess(heap[left], heap[smallest])) smallest = left;
        if (right < heap.length && cursorLess(heap[right], heap[smallest])) smallest = right;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
        i = smallest;
      }
    }
    return top;
  };

  for (const source of sources) {
    const cursor = open(source);
    if (cursor) push(cursor);
  }
  while (heap.length > 0) {
    const cursor = pop();
    const next = heap[0];
    const from = cursor.row;
    let to = from + 1;
    const end = cursor.block.chunk.length;
    while (to < end && (next === undefined || less(cursor, to, next, next.row))) to++;
    await emit(cursor.block, from, to);
    if (to < end) {
      cursor.row = to;
      push(cursor);
    } else {
      const reopened = open(cursor.source);
      if (reopened) push(reopened);
    }
  }
}

function wordsOf(block: RunBlock, column: number): Int32Array {
  const values = block.chunk.columns[column].values as BigInt64Array;
  return new Int32Array(values.buffer, values.byteOffset, 2 * values.length);
}
