/**
 * Runs of equal rows. Session-clustered data stores a session's samples one after another, and its
 * session-constant features are then equal from row to row: a run. Runs are found by comparing
 * each row with the one before it, word by word (exact: a run never joins two different rows).
 */
import { JaggedColumn, wordsOf } from './jagged-column';

/**
 * Marks in `flags` (one byte per row) every row that differs from the row before it in any of
 * `columns`; row 0 is always marked. Flags already set stay set, so calls accumulate (the union
 * of several groups' boundaries).
 *
 * Two passes. First, per row, O(1): one-id columns compare their id, list columns their length
 * and first id, which finds every boundary but may miss some (lists equal in length and first
 * id). Then each candidate run of list rows is verified whole: rows s .. e-1 of length L are all
 * equal exactly when the ids of rows s .. e-2 equal the ids of rows s+1 .. e-1 (the range equals
 * itself shifted by one row), one native byte comparison per run instead of a JavaScript loop per
 * row. A run that fails is compared row by row.
 */
export function markRunStarts(columns: readonly JaggedColumn[], rows: number, flags: Uint8Array): void {
  if (rows === 0) return;
  flags[0] = 1;
  const lists: JaggedColumn[] = [];
  for (const column of columns) {
    const words = wordsOf(column.values);
    const w = column.values.BYTES_PER_ELEMENT >> 2;
    const offsets = column.offsets;
    if (offsets === undefined) {
      if (w === 2) {
        for (let r = 1; r < rows; r++) if (words[2 * r] !== words[2 * r - 2] || words[2 * r + 1] !== words[2 * r - 1]) flags[r] = 1;
      } else {
        for (let r = 1; r < rows; r++) if (words[r] !== words[r - 1]) flags[r] = 1;
      }
      continue;
    }
    lists.push(column);
    for (let r = 1; r < rows; r++) {
      if (flags[r] === 1) continue; // a boundary already: nothing to learn here
      const start = offsets[r];
      const length = offsets[r + 1] - start;
      const previous = offsets[r - 1];
      if (length !== start - previous || (length > 0 && (words[start * w] !== words[previous * w] || words[start * w + w - 1] !== words[previous * w + w - 1]))) flags[r] = 1;
    }
  }
  if (lists.length === 0) return;
  const bytes = lists.map((column) => Buffer.from(column.values.buffer, column.values.byteOffset, column.values.byteLength));
  const words = lists.map((column) => wordsOf(column.values));
  for (let s = 0; s < rows; ) {
    let e = s + 1;
    while (e < rows && flags[e] === 0) e++;
    if (e - s > 1) for (let c = 0; c < lists.length; c++) verifyRun(lists[c], bytes[c], words[c], s, e, flags);
    s = e;
  }
}

/** Below this many bytes a JavaScript loop over the words beats a native comparison (a call into C++). */
const NATIVE_COMPARE_BYTES = 256;

/**
 * Rows s .. e-1 of `column` (its bytes and 32-bit words) have equal lengths and first ids; marks
 * those that differ from the row before.
 */
function verifyRun(column: JaggedColumn, bytes: Buffer, words: Int32Array, s: number, e: number, flags: Uint8Array): void {
  const offsets = column.offsets!;
  const bytesPerId = column.values.BYTES_PER_ELEMENT;
  const length = offsets[s + 1] - offsets[s];
  if (length <= 1) return; // the first (only) id was compared already
  const from = offsets[s] * bytesPerId;
  const count = (offsets[e - 1] - offsets[s]) * bytesPerId;
  const shifted = from + length * bytesPerId;
  if (count >= NATIVE_COMPARE_BYTES) {
    if (bytes.compare(bytes, shifted, shifted + count, from, from + count) === 0) return;
  } else if (sameWords(words, from >> 2, shifted >> 2, count >> 2)) {
    return;
  }
  const w = bytesPerId >> 2;
  for (let r = s + 1; r < e; r++) {
    const a = offsets[r - 1] * w;
    const b = offsets[r] * w;
    for (let j = 0; j < length * w; j++) {
      if (words[a + j] !== words[b + j]) {
        flags[r] = 1;
        break;
      }
    }
  }
}

function sameWords(words: Int32Array, a: number, b: number, count: number): boolean {
  for (let j = 0; j < count; j++) if (words[a + j] !== words[b + j]) return false;
  return true;
}

/** Run starts from marks, plus `rows` at the end: run i is rows `starts[i] .. starts[i + 1]`. */
export function runStartsOf(flags: Uint8Array, rows: number): Int32Array {
  let runs = 0;
  for (let r = 0; r < rows; r++) runs += flags[r];
  const starts = new Int32Array(runs + 1);
  let i = 0;
  for (let r = 0; r < rows; r++) if (flags[r] === 1) starts[i++] = r;
  starts[runs] = rows;
  return starts;
}

/** The run holding `row`: the last i with starts[i] <= row (binary search). */
export function runOf(starts: Int32Array, row: number): number {
  let low = 0;
  let high = starts.length - 2;
  while (low < high) {
    const mid = (low + high + 1) >>> 1;
    if (starts[mid] <= row) low = mid;
    else high = mid - 1;
  }
  return low;
}

/** Row `starts[i]` of `column` for every run i: the column with one row per run (copies). */
export function firstRowOfRuns(column: JaggedColumn, starts: Int32Array): JaggedColumn {
  const runs = starts.length - 1;
  const source = wordsOf(column.values);
  const w = column.values.BYTES_PER_ELEMENT >> 2;
  const offsets = column.offsets;
  const make = (length: number) => (w === 2 ? new BigInt64Array(length) : new Int32Array(length));
  if (offsets === undefined) {
    const values = make(runs);
    const target = wordsOf(values);
    for (let i = 0; i < runs; i++) for (let j = 0; j < w; j++) target[i * w + j] = source[starts[i] * w + j];
    return { offsets: undefined, values };
  }
  const newOffsets = new Int32Array(runs + 1);
  let total = 0;
  for (let i = 0; i < runs; i++) {
    total += offsets[starts[i] + 1] - offsets[starts[i]];
    newOffsets[i + 1] = total;
  }
  const values = make(total);
  const target = wordsOf(values);
  let to = 0;
  for (let i = 0; i < runs; i++) {
    const end = offsets[starts[i] + 1] * w;
    for (let j = offsets[starts[i]] * w; j < end; j++) target[to++] = source[j];
  }
  return { offsets: newOffsets, values };
}
