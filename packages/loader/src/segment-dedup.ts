/**
 * Deduplication of one dedup group of a batch, from prepared chunks that hold the group's keys
 * once per run of equal rows. The batch's pieces are cut into segments (the part of a piece that
 * lies in one run: every row of a segment is the same row); the segments' rows (about one per
 * session, not one per sample) are deduplicated exactly with @recd/core's RowDeduper, and the
 * inverse index is spread back over the samples. The result equals `dedup` of the whole batch's
 * transformed rows: the same unique rows in the same (first-occurrence) order, the same inverse.
 *
 * Copies are avoided where they can be: segments that are consecutive runs of one chunk (reading
 * in stored order) are used as views of the chunk's arrays, and when every segment row is unique
 * (each session once) those views are the unique rows. When short fingerprints already prove the
 * segments' rows distinct (see DistinctRows), the full hash of every row is skipped.
 */
import { DedupGroup, IdType, JaggedTensor, KeyedJaggedTensor, RowDeduper, allocateIds } from '@recd/core';
import { doubled } from './copy-words';
import { DistinctRows } from './distinct-rows';
import { JaggedColumn, wordsOf } from './jagged-column';
import type { PreparedChunk } from './prepared-chunk';
import { runOf } from './runs';

export interface BatchPieces {
  chunk: Int32Array;
  start: Int32Array;
  end: Int32Array;
  count: number;
  chunks: readonly PreparedChunk[];
}

type GroupWords = Parameters<RowDeduper['dedup']>[0];

/** Pieces shorter than this (shuffled runs) find their run through a row -> run map instead of a binary search. */
const SHORT_PIECE = 64;

export class SegmentDeduper {
  readonly #group: number;
  readonly #keys: string[];
  readonly #idType: IdType;
  readonly #deduper = new RowDeduper();
  readonly #distinct = new DistinctRows();
  #segmentChunk = new Int32Array(64);
  #segmentRun = new Int32Array(64);
  #segmentRows = new Int32Array(64);
  /** Row -> run maps of chunks read in short pieces (shuffled), made once per chunk. */
  readonly #runOfRow = new WeakMap<Int32Array, Int32Array>();

  constructor(group: number, keys: string[], idType: IdType) {
    this.#group = group;
    this.#keys = keys;
    this.#idType = idType;
  }

  dedup(pieces: BatchPieces, size: number): DedupGroup {
    const segments = this.#segments(pieces);
    const rows = this.#views(pieces.chunks, segments) ?? this.#gather(pieces.chunks, segments);
    const words = groupWords(rows);
    const inverse = new Int32Array(size);
    if (this.#distinct.provablyDistinct(words)) {
      // what the full deduplication returns for distinct rows: all of them, in order
      let to = 0;
      for (let s = 0; s < segments; s++) for (let end = to + this.#segmentRows[s]; to < end; to++) inverse[to] = s;
      return { keys: this.#keys, unique: rows, inverse };
    }
    const { uniqueRows, inverse: segmentInverse } = this.#deduper.dedup(words);
    // all distinct: first-occurrence order is the segments' own order
    const unique = uniqueRows.length === segments ? rows : rows.selectRows(uniqueRows);
    let to = 0;
    for (let s = 0; s < segments; s++) {
      const row = segmentInverse[s];
      for (let end = to + this.#segmentRows[s]; to < end; to++) inverse[to] = row;
    }
    return { keys: this.#keys, unique, inverse };
  }

  #segments(pieces: BatchPieces): number {
    let count = 0;
    let segmentChunk = this.#segmentChunk;
    let segmentRun = this.#segmentRun;
    let segmentRows = this.#segmentRows;
    for (let p = 0; p < pieces.count; p++) {
      const c = pieces.chunk[p];
      const start = pieces.start[p];
      const end = pieces.end[p];
      const starts = pieces.chunks[c].groups[this.#group].runStarts;
      const runs = starts.length - 1;
      const first = end - start < SHORT_PIECE ? this.#runMap(starts)[start] : runOf(starts, start);
      for (let run = first; run < runs && starts[run] < end; run++) {
        if (count === segmentChunk.length) {
          this.#grow();
          segmentChunk = this.#segmentChunk;
          segmentRun = this.#segmentRun;
          segmentRows = this.#segmentRows;
        }
        segmentChunk[count] = c;
        segmentRun[count] = run;
        const from = starts[run] > start ? starts[run] : start;
        segmentRows[count] = (starts[run + 1] < end ? starts[run + 1] : end) - from;
        count++;
      }
    }
    return count;
  }

  #runMap(starts: Int32Array): Int32Array {
    let map = this.#runOfRow.get(starts);
    if (map === undefined) {
      const runs = starts.length - 1;
      map = new Int32Array(starts[runs]);
      for (let run = 0; run < runs; run++) map.fill(run, starts[run], starts[run + 1]);
      this.#runOfRow.set(starts, map);
    }
    return map;
  }

  /** The segments' rows as views, when they are consecutive runs of one chunk (else undefined). */
  #views(chunks: readonly PreparedChunk[], segments: number): KeyedJaggedTensor | undefined {
    const c = this.#segmentChunk[0];
    const first = this.#segmentRun[0];
    for (let s = 1; s < segments; s++) if (this.#segmentChunk[s] !== c || this.#segmentRun[s] !== first + s) return undefined;
    const columns = chunks[c].groups[this.#group].keys;
    // arrays from a worker thread belong to another realm under a sandbox (Jest): core's instanceof checks would misread them
    if (!columns.every((column) => column.values instanceof Int32Array || column.values instanceof BigInt64Array)) return undefined;
    const parts = columns.map((column) => rowsView(column, first, first + segments));
    return KeyedJaggedTensor.fromJaggedTensors(this.#keys, parts);
  }

  /** The segments' rows (one per segment) copied into one KJT of the group's keys. */
  #gather(chunks: readonly PreparedChunk[], segments: number): KeyedJaggedTensor {
    const keys = this.#keys;
    const w = this.#idType === 'int64' ? 2 : 1;
    // per key, per chunk of the batch: the column (looked up once, not per segment)
    const columns = keys.map((_, k) => chunks.map((chunk) => chunk.groups[this.#group].keys[k]));
    const lengths = new Int32Array(keys.length * segments);
    let total = 0;
    columns.forEach((perChunk, k) => {
      const lengthsOfKey = lengths.subarray(k * segments, (k + 1) * segments);
      if (perChunk[0].offsets === undefined) lengthsOfKey.fill(1);
      else segmentLengths(perChunk.map((column) => column.offsets!), this.#segmentChunk, this.#segmentRun, lengthsOfKey);
      for (let s = 0; s < segments; s++) total += lengthsOfKey[s];
    });
    const values = allocateIds(this.#idType, total);
    const target = wordsOf(values);
    let to = 0;
    columns.forEach((perChunk, k) => {
      const words = perChunk.map((column) => wordsOf(column.values));
      to =
        perChunk[0].offsets === undefined
          ? copyOneIdRows(words, this.#segmentChunk, this.#segmentRun, segments, w, target, to)
          : copyListRows(words, perChunk.map((column) => column.offsets!), this.#segmentChunk, this.#segmentRun, segments, w, target, to);
    });
    return KeyedJaggedTensor.fromLengths({ keys, values, lengths, stride: segments });
  }

  #grow(): void {
    this.#segmentChunk = doubled(this.#segmentChunk);
    this.#segmentRun = doubled(this.#segmentRun);
    this.#segmentRows = doubled(this.#segmentRows);
  }
}

// Hot loops of #gather, one kind of column each, so each keeps stable type feedback and stays optimized.

function segmentLengths(offsetsByChunk: Int32Array[], segmentChunk: Int32Array, segmentRun: Int32Array, out: Int32Array): void {
  for (let s = 0; s < out.length; s++) {
    const offsets = offsetsByChunk[segmentChunk[s]];
    const run = segmentRun[s];
    out[s] = offsets[run + 1] - offsets[run];
  }
}

function copyOneIdRows(wordsByChunk: Int32Array[], segmentChunk: Int32Array, segmentRun: Int32Array, segments: number, w: number, target: Int32Array, to: number): number {
  for (let s = 0; s < segments; s++) {
    const source = wordsByChunk[segmentChunk[s]];
    const from = segmentRun[s] * w;
    for (let j = 0; j < w; j++) target[to++] = source[from + j];
  }
  return to;
}

function copyListRows(
  wordsByChunk: Int32Array[],
  offsetsByChunk: Int32Array[],
  segmentChunk: Int32Array,
  segmentRun: Int32Array,
  segments: number,
  w: number,
  target: Int32Array,
  to: number,
): number {
  for (let s = 0; s < segments; s++) {
    const c = segmentChunk[s];
    const offsets = offsetsByChunk[c];
    const source = wordsByChunk[c];
    const run = segmentRun[s];
    const end = offsets[run + 1] * w;
    for (let from = offsets[run] * w; from < end; ) target[to++] = source[from++];
  }
  return to;
}

/** Rows `start .. end` of a column as a JaggedTensor (values are a view; offsets rebased to 0). */
function rowsView(column: JaggedColumn, start: number, end: number): JaggedTensor {
  const offsets = column.offsets;
  if (offsets === undefined) return JaggedTensor.fromLengths({ values: column.values.subarray(start, end), lengths: new Int32Array(end - start).fill(1) });
  const base = offsets[start];
  const rebased = new Int32Array(end - start + 1);
  for (let r = start; r <= end; r++) rebased[r - start] = offsets[r] - base;
  return JaggedTensor.fromOffsets({ values: column.values.subarray(base, offsets[end]), offsets: rebased });
}

/** Word-level access to the rows of a KJT, as RowDeduper takes it (see @recd/core's row-hash). */
function groupWords(kjt: KeyedJaggedTensor): GroupWords {
  const parts = kjt.keys.map((_, k) => kjt.part(k));
  const int64 = kjt.idType === 'int64';
  return {
    words: parts.map((part) => wordsOf(part.values)),
    idDoubles: parts.map((part) => (int64 ? new Float64Array(part.values.buffer, part.values.byteOffset, part.values.length) : undefined)),
    offsets: parts.map((part) => part.offsets),
    weightBits: parts.map(() => undefined),
    wordsPerValue: int64 ? 2 : 1,
    rows: kjt.stride,
  };
}
