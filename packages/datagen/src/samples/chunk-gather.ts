import type { SampleChunk, SampleColumn } from '../dataset/sample-chunk';

/** Rows `rows[0], rows[1], ...` of `chunk` as a new chunk (copies; list values by word runs). */
export function gatherChunk(chunk: SampleChunk, rows: Int32Array): SampleChunk {
  const n = rows.length;
  const columns = chunk.columns.map((column): SampleColumn => {
    if (column.type === 'float32') {
      const values = new Float32Array(n);
      for (let i = 0; i < n; i++) values[i] = column.values[rows[i]];
      return { name: column.name, type: 'float32', values };
    }
    if (column.type === 'int64') {
      const values = new BigInt64Array(n);
      const out = new Int32Array(values.buffer);
      const source = new Int32Array(column.values.buffer, column.values.byteOffset, 2 * column.values.length);
      for (let i = 0; i < n; i++) {
        out[2 * i] = source[2 * rows[i]];
        out[2 * i + 1] = source[2 * rows[i] + 1];
      }
      return { name: column.name, type: 'int64', values };
    }
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i] + column.offsets[rows[i] + 1] - column.offsets[rows[i]];
    const values = new BigInt64Array(offsets[n]);
    const out = new Int32Array(values.buffer);
    const source = new Int32Array(column.values.buffer, column.values.byteOffset, 2 * column.values.length);
    for (let i = 0; i < n; i++) {
      const from = 2 * column.offsets[rows[i]];
      const count = 2 * (column.offsets[rows[i] + 1] - column.offsets[rows[i]]);
      const to = 2 * offsets[i];
      if (count > 24) out.set(source.subarray(from, from + count), to);
      else for (let j = 0; j < count; j++) out[to + j] = source[from + j];
    }
    return { name: column.name, type: 'list<int64>', offsets, values };
  });
  return { length: n, columns };
}
