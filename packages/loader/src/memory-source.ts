import { RecdError } from '@recd/core';
import type { SampleChunk } from '@recd/datagen';
import type { ChunkSource, SourceSession } from './chunk-source';
import type { LoaderPlan } from './plan';
import { prepareChunk } from './prepare';
import type { PreparedChunk } from './prepared-chunk';

/** Sample chunks already in memory, each playing the part of one row group; prepared on the main thread. */
export class MemorySource implements ChunkSource {
  readonly #chunks: readonly SampleChunk[];
  readonly #plan: LoaderPlan;

  constructor(chunks: readonly SampleChunk[], plan: LoaderPlan) {
    this.#chunks = chunks;
    this.#plan = plan;
  }

  get units(): number {
    return this.#chunks.length;
  }

  describe(): string {
    return `memory(${this.#chunks.length} chunks, ${this.#chunks.reduce((sum, chunk) => sum + chunk.length, 0)} rows)`;
  }

  work(): string {
    return 'transforms(main thread)';
  }

  open(): SourceSession {
    return {
      load: async (unit: number): Promise<PreparedChunk[]> => {
        try {
          return [prepareChunk(this.#chunks[unit], this.#plan)];
        } catch (error) {
          throw new RecdError(`chunk ${unit}: ${(error as Error).message}`, { cause: error });
        }
      },
      close: async () => undefined,
    };
  }
}
