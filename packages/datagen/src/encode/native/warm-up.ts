import type { SampleChunk } from '../../dataset/sample-chunk';
import { StretchAssembler } from '../../samples/stretch-assembler';
import type { ColumnEncoding } from '../../dataset/parquet-settings';
import { CompressionCodec, encodeColumnChunk } from './column-chunk-encoder';
import { Int64Range } from './int64-range';

/**
 * Runs the encoder's code paths on a small synthetic row group (every encoding, list levels,
 * statistics, stretch assembly, a list's pages from its stretches, `compress`), so a fresh worker thread has them compiled before
 * its first real row group: measured on 2M samples, a cold thread took about 450 ms for its first
 * row group and 120-160 ms once warm. Returns the bytes encoded (so the work is not optimized away).
 */
export function warmUpEncoder(compress: (payload: Uint8Array) => Uint8Array, rows = 4096): number {
  warmUpRange();
  const offsets = new Int32Array(rows + 1);
  for (let row = 0; row < rows; row++) offsets[row + 1] = offsets[row] + (row % 7 === 0 ? 0 : row % 50);
  const values = new BigInt64Array(offsets[rows]);
  for (let i = 0; i < values.length; i++) values[i] = BigInt((i * 7919) % 50_000);
  const chunk: SampleChunk = {
    length: rows,
    columns: [
      { name: 'f', type: 'float32', values: Float32Array.from({ length: rows }, (_, i) => (i % 5) / 3) },
      { name: 'i', type: 'int64', values: BigInt64Array.from({ length: rows }, (_, i) => 1_767_225_600_000n + BigInt(i * 37)) },
      { name: 'l', type: 'list<int64>', offsets, values },
    ],
  };
  const assembler = new StretchAssembler(chunk.columns);
  const addStretches = (): void => {
    for (let from = 0; from < rows; from += 64) assembler.add(chunk, from, Math.min(rows, from + 64));
  };
  addStretches();
  const assembled = assembler.take();
  addStretches();
  const piecewise = assembler.takeForEncoder(new Set(['l'])); // a PLAIN list's pages copied from its stretches
  const settings = { codec: CompressionCodec.ZSTD, compress, pageBytes: 1 << 16, pageRows: 20_000, dictionaryPageBytes: 1 << 20 };
  const encodings: Record<string, ColumnEncoding[]> = { f: ['plain', 'dictionary', 'byte-stream-split'], i: ['plain', 'dictionary', 'delta'], l: ['plain', 'dictionary'] };
  let bytes = 0;
  for (const column of assembled.columns) for (const encoding of encodings[column.name]) bytes += encodeColumnChunk(column, rows, encoding, settings, 0).bytes;
  bytes += encodeColumnChunk(piecewise.columns[2], rows, 'plain', settings, 0).bytes;
  return bytes;
}

/**
 * Int64Range.add on small stretches first, through each of its comparisons: when its first calls
 * were long stretches, V8 compiled its loops on the stack before the comparisons after them had
 * run, and that code then deoptimized at every later call (157 times in one warm-up).
 */
function warmUpRange(): void {
  // word pairs (low, high): one high word for all, mixed high words, lower and higher than before
  const stretches = [
    [5, 0, 3, 0, 9, 0],
    [7, 1, 2, -1, 4, 0],
    [1, 0, 8, 0],
    [0, 2, 6, 2],
    [3, -2, 3, -2],
  ].map((words) => Int32Array.from(words));
  for (let round = 0; round < 40; round++) {
    const range = new Int64Range();
    for (const words of stretches) range.add(words, 0, words.length);
    range.add(stretches[round % stretches.length], 0, 2);
  }
}
