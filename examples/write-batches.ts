/**
 * The loader's batches as an Arrow IPC stream, for a consumer in another language (see
 * examples/python/): one RecordBatch per training batch, deduplicated session features as unique
 * rows plus an inverse index (packages/core/docs/arrow-schema.md).
 *
 * Run: npx tsc -b && node examples/dist/write-batches.js OUT.arrows [sample-dataset-dir] [--no-dedup]
 *      python3 examples/python/consume.py OUT.arrows
 * (without a folder it makes a small synthetic dataset first)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDataset, writeArrowStream, ArrowStreamSummary } from '@recd/loader';
import { makeExampleDataset } from './example-data';

export interface WriteBatchesOptions {
  dedup?: boolean;
  batchSize?: number;
  /** Samples at most (default: all). */
  limit?: number;
}

/** Streams `dataDir`'s batches into `output` (written under a temporary name, renamed when complete). */
export async function writeBatches(dataDir: string, output: string, options: WriteBatchesOptions = {}): Promise<ArrowStreamSummary> {
  const dataset = await openDataset(dataDir, { batchSize: options.batchSize ?? 512, dedup: options.dedup ?? true, limit: options.limit });
  return writeArrowStream(dataset, output);
}

if (require.main === module) {
  (async () => {
    const args = process.argv.slice(2).filter((arg) => arg !== '--no-dedup');
    const [output, given] = args;
    if (!output) {
      console.error('usage: node examples/dist/write-batches.js OUT.arrows [sample-dataset-dir] [--no-dedup]');
      process.exitCode = 2;
      return;
    }
    const workDir = given ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'recd-write-batches-'));
    try {
      const dataDir = given ?? (await makeExampleDataset(workDir as string));
      const summary = await writeBatches(dataDir, output, { dedup: !process.argv.includes('--no-dedup') });
      console.log(`${output}: ${summary.batches} batches, ${summary.samples} samples, ${summary.bytes} bytes`);
    } finally {
      if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
    }
  })().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
