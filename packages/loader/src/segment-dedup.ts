/**
 * Deduplication of one dedup group of a batch, from prepared chunks that hold the group's keys
 * once per run of equal rows. The batch's pieces are cut into segments (the part of a piece that
 * lies in one run: every row of a segment is the same row); the segments' rows (about one per
 * session, not one per sample) are deduplicated exactly, and the inverse index is spread back over
 * the samples. The result equals `dedup` of the whole batch's transformed rows: the same unique
 * rows in the same (first-occurrence) order, the same inverse.
 *
 * A piece's segments are consecutive runs of its chunk, so the segment rows are gathered a piece
 * at a time as block copies, and a batch of one piece (reading in stored order) uses them as views
 * of the chunk's arrays. Segment rows are deduplicated by short fingerprints verified in full
 * (FingerprintDeduper) rather than by a hash of every id, and when they are all distinct (each
 * session once, always so at one sample per session) they are the unique rows as they are, with
 * no copy. RowDeduper only takes over when fingerprints of different rows collide too often.
 */
import { DedupGroup, IdType, JaggedTensor, KeyedJaggedTensor, RowDeduper } from '@recd/core';
import { doubled } from './copy-words';
import { FingerprintDeduper } from './distinct-rows';
import { JaggedColumn, wordsOf } from './jagged-column';
import type { PreparedChunk } from './prepared-chunk';
import { kjtOfRanges } from './range-kjt';
import { runOf } from './runs';

export interface BatchPieces {
  chunk: Int32Array;
  start: Int32Array;
  end: Int32Array;
  count: number;
  chunks: readonly PreparedChunk[];
}

type GroupWords = Parameters<RowDeduper['dedup']>[0];

/** Pieces shorter than this, in batches of more than this many pieces (shuffled runs), find their run through a row -> run map instead of a binary search. */
const SHORT_PIECE = 64;

export class SegmentDeduper {
  readonly #group: number;
  readonly #keys: string[];
  readonly #idType: IdType;
  readonly #deduper = new RowDeduper();
  readonly #distinct = new FingerprintDeduper();
  /** Per piece: its runs `#pieceRunStart[p] .. #pieceRunEnd[p]` of its chunk (its segments, in order). */
  #pieceRunStart = new Int32Array(64);
  #pieceRunEnd = new Int32Array(64);
  /** Per segment: the samples it covers. */
  #segmentRows = new Int32Array(64);
  #identityOffsets = Int32Array.from({ length: 64 }, (_, i) => i);
  /** Row -> run maps of chunks read in short pieces (shuffled), made once per chunk. */
  readonly #runOfRow = new WeakMap<Int32Array, Int32Array>();

  constructor(group: number, keys: string[], idType: IdType) {
    this.#group = group;
    this.#keys = keys;
    this.#idType = idType;
  }

  dedup(pieces: BatchPieces, size: number): DedupGroup {
    const segments = this.#segments(pieces, size);
    const rows = this.#views(pieces) ?? this.#gather(pieces, segments);
    const singles = this.#singles(pieces);
    const words = groupWords(rows, singles, this.#identity(segments));
    const inverse = new Int32Array(size);
    const found = this.#distinct.dedup(words, singles);
    if (found !== undefined && found.unique === segments) {
      spreadIdentity(this.#segmentRows, segments, inverse);
      return { keys: this.#keys, unique: rows, inverse };
    }
    const { uniqueRows, inverse: segmentInverse } = found === undefined ? this.#deduper.dedup(words) : { uniqueRows: found.uniqueRows.subarray(0, found.unique), inverse: found.inverse };
    spread(segmentInverse, this.#segmentRows, segments, inverse);
    return { keys: this.#keys, unique: uniqueRows.length === segments ? rows : rows.selectRows(uniqueRows), inverse };
  }

  /** Per key: one id per row (no offsets in the chunks), so its rows are at words 0, 1, 2, ... in the KJT of segment rows. */
  #singles(pieces: BatchPieces): boolean[] {
    return this.#keys.map((_, k) => pieces.chunks.every((chunk) => chunk.groups[this.#group].keys[k].offsets === undefined));
  }

  /** 0, 1, 2, ..., rows: the offsets of a one-id-per-row key (internal: never handed out in a batch). */
  #identity(rows: number): Int32Array {
    if (this.#identityOffsets.length <= rows) {
      let capacity = this.#identityOffsets.length;
      while (capacity <= rows) capacity *= 2;
      this.#identityOffsets = Int32Array.from({ length: capacity }, (_, i) => i);
    }
    return this.#identityOffsets.subarray(0, rows + 1);
  }

  /**
   * Cuts the pieces into segments: fills the per-piece run ranges and, unless every segment is one
   * sample (`size` segments), the segments' sample counts; returns the number of segments.
   */
  #segments(pieces: BatchPieces, size: number): number {
    if (this.#pieceRunStart.length < pieces.count) {
      let capacity = this.#pieceRunStart.length;
      while (capacity < pieces.count) capacity *= 2;
      this.#pieceRunStart = new Int32Array(capacity);
      this.#pieceRunEnd = new Int32Array(capacity);
    }
    const useMaps = pieces.count > SHORT_PIECE;
    let count = 0;
    for (let p = 0; p < pieces.count; p++) {
      const start = pieces.start[p];
      const end = pieces.end[p];
      const starts = pieces.chunks[pieces.chunk[p]].groups[this.#group].runStarts;
      const first = useMaps && end - start < SHORT_PIECE ? this.#runMap(starts)[start] : runOf(starts, start);
      const last = end - start === 1 ? first : runOf(starts, end - 1);
      this.#pieceRunStart[p] = first;
      this.#pieceRunEnd[p] = last + 1;
      count += last + 1 - first;
    }
    if (count === size) return count; // one sample per segment: the counts are all 1, never read
    while (count > this.#segmentRows.length) this.#segmentRows = doubled(this.#segmentRows);
    for (let p = 0, at = 0; p < pieces.count; p++) {
      const starts = pieces.chunks[pieces.chunk[p]].groups[this.#group].runStarts;
      at = segmentRowsOf(starts, this.#pieceRunStart[p], this.#pieceRunEnd[p] - 1, pieces.start[p], pieces.end[p], this.#segmentRows, at);
    }
    return count;
  }

  #runMap(starts: Int32Array): Int32Array {
    let map = this.#runOfRow.get(starts);
    if (map === undefined) {
      map = runMapOf(starts);
      this.#runOfRow.set(starts, map);
    }
    return map;
  }

  /** The segments' rows as views, when the batch is one piece (its runs are consecutive rows of one chunk's group keys); else undefined. */
  #views(pieces: BatchPieces): KeyedJaggedTensor | undefined {
    if (pieces.count !== 1) return undefined;
    const columns = pieces.chunks[pieces.chunk[0]].groups[this.#group].keys;
    // arrays from a worker thread belong to another realm under a sandbox (Jest): core's instanceof checks would misread them
    if (!columns.every((column) => column.values instanceof Int32Array || column.values instanceof BigInt64Array)) return undefined;
    const first = this.#pieceRunStart[0];
    const end = this.#pieceRunEnd[0];
    return KeyedJaggedTensor.fromJaggedTensors(
      this.#keys,
      columns.map((column) => rowsView(column, first, end)),
    );
  }

  /** The segments' rows (one per segment) copied into one KJT of the group's keys, a piece's runs at a time. */
  #gather(pieces: BatchPieces, segments: number): KeyedJaggedTensor {
    const columns = pieces.chunks.map((chunk) => chunk.groups[this.#group].keys);
    const ranges = { chunk: pieces.chunk, start: this.#pieceRunStart, end: this.#pieceRunEnd, count: pieces.count };
    return kjtOfRanges(this.#keys, columns, ranges, this.#idType, segments);
  }
}

// Hot loops, each in a function of its own so it keeps stable type feedback and stays optimized.

/** Appends at `count` the samples of runs first .. last that rows start .. end cover; returns the new count. */
function segmentRowsOf(starts: Int32Array, first: number, last: number, start: number, end: number, out: Int32Array, count: number): number {
  for (let run = first; run <= last; run++) {
    const from = starts[run] > start ? starts[run] : start;
    out[count++] = (starts[run + 1] < end ? starts[run + 1] : end) - from;
  }
  return count;
}

function runMapOf(starts: Int32Array): Int32Array {
  const runs = starts.length - 1;
  const map = new Int32Array(starts[runs]);
  for (let run = 0; run < runs; run++) for (let r = starts[run], end = starts[run + 1]; r < end; r++) map[r] = run;
  return map;
}

/** inverse[sample] = its segment, segment s covering `segmentRows[s]` samples. */
function spreadIdentity(segmentRows: Int32Array, segments: number, inverse: Int32Array): void {
  if (segments === inverse.length) {
    for (let s = 0; s < segments; s++) inverse[s] = s;
    return;
  }
  let to = 0;
  for (let s = 0; s < segments; s++) for (let end = to + segmentRows[s]; to < end; to++) inverse[to] = s;
}

/** inverse[sample] = segmentInverse[its segment]. */
function spread(segmentInverse: Int32Array, segmentRows: Int32Array, segments: number, inverse: Int32Array): void {
  if (segments === inverse.length) {
    inverse.set(segmentInverse.subarray(0, segments));
    return;
  }
  let to = 0;
  for (let s = 0; s < segments; s++) {
    const row = segmentInverse[s];
    for (let end = to + segmentRows[s]; to < end; to++) inverse[to] = row;
  }
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

/**
 * Word-level access to the rows of a KJT, as RowDeduper takes it (see @recd/core's row-hash).
 * One-id-per-row keys (`singles`) take `identity` as their offsets, so the KJT's own are not derived.
 */
function groupWords(kjt: KeyedJaggedTensor, singles: readonly boolean[], identity: Int32Array): GroupWords {
  const parts = kjt.keys.map((_, k) => kjt.part(k));
  const int64 = kjt.idType === 'int64';
  return {
    words: parts.map((part) => wordsOf(part.values)),
    idDoubles: parts.map((part) => (int64 ? new Float64Array(part.values.buffer, part.values.byteOffset, part.values.length) : undefined)),
    offsets: parts.map((part, k) => (singles[k] ? identity : part.offsets)),
    weightBits: parts.map(() => undefined),
    wordsPerValue: int64 ? 2 : 1,
    rows: kjt.stride,
  };
}
