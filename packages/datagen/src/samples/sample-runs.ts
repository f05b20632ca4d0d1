import * as fs from 'node:fs';
import type { SampleChunk, SampleColumn, SampleColumnType } from '../dataset/sample-chunk';
import type { SampleRun } from './generate-partition';
import { SpillArray, SpillReader, writeBlock } from './spill';

/** A block of a sorted run: rows with their order keys. */
export interface RunBlock {
  chunk: SampleChunk;
  key: Float64Array;
  sub: Int32Array;
}

/** A sorted run read block by block (from memory or from a spill file). */
export interface RunSource {
  nextBlock(): RunBlock | undefined;
  close(): void;
}

export function memoryRun(run: SampleRun): RunSource {
  let block: RunBlock | undefined = run.chunk.length > 0 ? { chunk: run.chunk, key: run.key, sub: run.sub } : undefined;
  return {
    nextBlock() {
      const next = block;
      block = undefined;
      return next;
    },
    close() {
      block = undefined;
    },
  };
}

/** Writes a run to `path` in blocks of `blockRows` rows; returns the bytes written. */
export function spillRun(run: SampleRun, path: string, blockRows: number): number {
  const fd = fs.openSync(path, 'w');
  let bytes = 0;
  try {
    for (let from = 0; from < run.chunk.length; from += blockRows) {
      const to = Math.min(run.chunk.length, from + blockRows);
      const arrays: SpillArray[] = [run.key.subarray(from, to), run.sub.subarray(from, to)];
      for (const column of run.chunk.columns) {
        if (column.type === 'list<int64>') {
          const start = column.offsets[from];
          const offsets = new Int32Array(to - from + 1);
          for (let i = 0; i <= to - from; i++) offsets[i] = column.offsets[from + i] - start;
          arrays.push(offsets, column.values.subarray(start, column.offsets[to]));
        } else {
          arrays.push(column.values.subarray(from, to));
        }
      }
      bytes += writeBlock(fd, arrays);
    }
  } finally {
    fs.closeSync(fd);
  }
  return bytes;
}

export function spilledRun(path: string, columns: readonly { name: string; type: SampleColumnType }[]): RunSource {
  const reader = new SpillReader(path);
  let open = true;
  return {
    nextBlock() {
      if (!open) return undefined;
      const arrays = reader.next();
      if (!arrays) return undefined;
      const key = arrays[0] as Float64Array;
      let a = 2;
      const decoded = columns.map((column): SampleColumn => {
        if (column.type === 'float32') return { name: column.name, type: column.type, values: arrays[a++] as Float32Array };
        if (column.type === 'int64') return { name: column.name, type: column.type, values: arrays[a++] as BigInt64Array };
        const offsets = arrays[a++] as Int32Array;
        return { name: column.name, type: column.type, offsets, values: arrays[a++] as BigInt64Array };
      });
      return { chunk: { length: key.length, columns: decoded }, key, sub: arrays[1] as Int32Array };
    },
    close() {
      if (open) reader.close();
      open = false;
    },
  };
}
