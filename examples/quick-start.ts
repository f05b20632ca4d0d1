/**
 * recd through its library API, not the CLI: a synthetic log -> samples clustered by session ->
 * deduplicated batches -> a few DLRM training steps, with a held-out evaluation.
 *
 * Run: npx tsc -b && node examples/dist/quick-start.js [work-dir]
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateSamples, getPreset, writeSyntheticLog } from '@recd/datagen';
import { openDataset } from '@recd/loader';
import { Adagrad, Adam, CompositeOptimizer, Dlrm, Trainer, dlrmConfigFromSchema } from '@recd/dlrm';
import { InverseKeyedJaggedTensor } from '@recd/core';

export interface QuickStartResult {
  samples: number;
  steps: number;
  firstLoss: number;
  lastLoss: number;
  samplesPerUniqueSessionRow: number;
  auc: number;
}

export async function quickStart(workDir: string, log: (line: string) => void = () => {}): Promise<QuickStartResult> {
  // 1. a log: 20k events of users returning over sessions (or bring your own CSV and a preset)
  const logFile = path.join(workDir, 'log.csv');
  await writeSyntheticLog(logFile, { events: 20_000, concurrentSessions: 200, seed: 7 });

  // 2. samples clustered by session (RecD's layout), small row groups so a holdout split is possible
  const samplesDir = path.join(workDir, 'samples');
  const { manifest } = await generateSamples({ inputs: [logFile], schema: getPreset('synthetic'), output: samplesDir, rowGroupSize: 2048, overwrite: true });
  log(`${manifest.rows} samples in ${manifest.sessions} sessions`);

  // 3. batches with the session-constant features deduplicated into an IKJT
  const log1p = { kind: 'log1p' as const };
  const options = { batchSize: 512, dedup: true, transforms: { position: [log1p], time_since_start: [log1p] } };
  const train = await openDataset(samplesDir, { ...options, split: { holdout: 0.2, part: 'train' } });
  const holdout = await openDataset(samplesDir, { ...options, split: { holdout: 0.2, part: 'holdout' } });
  log(train.describe());

  // 4. a DLRM built from the dataset's feature schema, trained for one epoch
  const model = new Dlrm(
    dlrmConfigFromSchema(train.schema, { embeddingDim: 16, bottomMlp: [32, 16], topMlp: [32, 1], sequenceEncoder: 'mean-mlp', maxTableSize: 50_021, seed: 1 }),
  );
  const optimizer = new CompositeOptimizer({ sparse: new Adagrad({ lr: 0.05 }), dense: new Adam({ lr: 0.001 }) });
  let uniqueRows = 0;
  let batchRows = 0;
  const trainer = new Trainer({ model, optimizer });
  const batches = {
    async *[Symbol.asyncIterator]() {
      for await (const batch of train.epoch(0)) {
        if (batch.sessionSparse instanceof InverseKeyedJaggedTensor) {
          uniqueRows += batch.sessionSparse.groups[0].unique.stride;
          batchRows += batch.size;
        }
        yield batch;
      }
    },
  };
  const epoch = await trainer.trainEpoch(batches);
  const metrics = await trainer.evaluate(holdout.epoch(0));
  log(`${epoch.steps} steps, loss ${epoch.losses[0].toFixed(4)} -> ${epoch.losses[epoch.losses.length - 1].toFixed(4)}, held-out AUC ${metrics.auc.toFixed(4)}`);
  return {
    samples: manifest.rows,
    steps: epoch.steps,
    firstLoss: epoch.losses[0],
    lastLoss: epoch.losses[epoch.losses.length - 1],
    samplesPerUniqueSessionRow: batchRows / Math.max(1, uniqueRows),
    auc: metrics.auc,
  };
}

if (require.main === module) {
  const dir = process.argv[2] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'recd-quick-start-'));
  quickStart(dir, (line) => console.log(line)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
