import type { FileHandle } from 'node:fs/promises';
import type { SampleChunk, SampleColumn } from '../dataset/sample-chunk';
import { sliceSampleChunk } from '../dataset/sample-chunk-slice';
import { ChunkStretches, StretchAssembler } from '../samples/stretch-assembler';
import { isSharedChunk, toSharedChunk } from '../dataset/shared-chunk';
import type { EncoderPool } from './encoder-pool';
import { RowGroupFileSettings, encodeRowGroupFile } from './native/row-group-file';
import type { ShardEncoder } from './shard-encoder';
import { StitchedParquetFile } from './stitched-file';
import { zstdCompressor } from './zstd-compressor';

/** What a shard's native encoding needs besides the rows. */
export interface NativeShardSettings {
  rowGroupSize: number;
  /** The row group files' settings, page compression aside. */
  rowGroup: Omit<RowGroupFileSettings, 'compress'>;
  /** ZSTD level of the pages, or undefined for uncompressed pages. */
  zstdLevel: number | undefined;
  /** The file a shard with no rows becomes (parquet-wasm's, zero rows): also the source of `rowGroup.footerTemplate`. */
  emptyFile: Uint8Array;
}

/**
 * One Parquet file written by recd's own page encoder (native/): rows are copied into row groups
 * of exactly `rowGroupSize` rows, each encoded into a one-row-group file, in the pool's worker
 * threads (the arrays transferred, several row groups at a time) or in this thread without a
 * pool, and joined in order by ParquetStitcher. The bytes do not depend on the number of threads.
 */
export class NativeShardEncoder implements ShardEncoder {
  readonly path: string;
  readonly #out: StitchedParquetFile;
  readonly #pool: EncoderPool | undefined;
  readonly #settings: NativeShardSettings;
  /** Copies of the rows of the row group being filled. */
  #current: SampleChunk[] = [];
  #currentRows = 0;
  /** Source chunks copied into SharedArrayBuffers, by original. */
  readonly #shared = new WeakMap<SampleChunk, SampleChunk>();

  constructor(path: string, file: FileHandle, pool: EncoderPool | undefined, settings: NativeShardSettings) {
    this.path = path;
    this.#out = new StitchedParquetFile(path, file);
    this.#pool = pool;
    this.#settings = settings;
  }

  async write(batch: SampleChunk): Promise<void> {
    if (this.#out.failure) throw this.#out.failure;
    const rowGroupSize = this.#settings.rowGroupSize;
    for (let start = 0; start < batch.length; ) {
      const take = Math.min(batch.length - start, rowGroupSize - this.#currentRows);
      this.#current.push(copyChunk(sliceSampleChunk(batch, start, start + take)));
      this.#currentRows += take;
      start += take;
      if (this.#currentRows === rowGroupSize) await this.#dispatch();
    }
  }

  /**
   * Adds rows given as stretches of other chunks. A whole row group, with the encoder threads,
   * goes to a worker as it is (chunks not in SharedArrayBuffers are first copied into some) and is
   * assembled there; otherwise the rows are assembled here and written as a chunk.
   */
  async writeStretches(stretches: ChunkStretches): Promise<void> {
    if (this.#out.failure) throw this.#out.failure;
    if (this.#pool === undefined || this.#currentRows > 0 || stretches.length !== this.#settings.rowGroupSize) {
      const assembler = new StretchAssembler(stretches.sources[0].columns);
      assembler.addStretches(stretches);
      return this.write(assembler.take());
    }
    const sources = stretches.sources.map((source) => {
      let shared = this.#shared.get(source);
      if (shared === undefined) this.#shared.set(source, (shared = isSharedChunk(source) ? source : toSharedChunk(source)));
      return shared;
    });
    await this.#dispatchRows({ stretches: { ...stretches, sources } });
  }

  async close(): Promise<void> {
    if (this.#currentRows > 0) await this.#dispatch().catch(async (error) => {
      await this.#out.destroy();
      throw error;
    });
    await this.#out.close(async () => this.#settings.emptyFile);
  }

  destroy(): Promise<void> {
    return this.#out.destroy();
  }

  async #dispatch(): Promise<void> {
    const parts = this.#current;
    this.#current = [];
    this.#currentRows = 0;
    await this.#dispatchRows({ chunk: parts.length === 1 ? parts[0] : concatChunks(parts) });
  }

  async #dispatchRows(rows: { chunk: SampleChunk } | { stretches: ChunkStretches }): Promise<void> {
    const { zstdLevel, rowGroup } = this.#settings;
    if (this.#pool) {
      this.#out.add((await this.#pool.submitNative(rows, rowGroup, zstdLevel)).answer.then(({ file }) => file));
      return;
    }
    if ('stretches' in rows) throw new Error('NativeShardEncoder: stretches are assembled before encoding in this thread');
    const compressor = zstdLevel === undefined ? undefined : await zstdCompressor(zstdLevel);
    const compress = compressor ? (payload: Uint8Array) => compressor.compress(payload) : (payload: Uint8Array) => payload.slice();
    this.#out.add(Promise.resolve().then(() => encodeRowGroupFile(rows.chunk, { ...rowGroup, compress })));
  }
}

/** A chunk with arrays of its own (the caller may reuse the original's). */
function copyChunk(chunk: SampleChunk): SampleChunk {
  return {
    length: chunk.length,
    columns: chunk.columns.map((column): SampleColumn => (column.type === 'list<int64>' ? { ...column, offsets: column.offsets.slice(), values: column.values.slice() } : ({ ...column, values: column.values.slice() } as SampleColumn))),
  };
}

function concatChunks(parts: SampleChunk[]): SampleChunk {
  const assembler = new StretchAssembler(parts[0].columns);
  for (const part of parts) assembler.add(part, 0, part.length);
  return assembler.take();
}
