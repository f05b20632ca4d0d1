import { Command } from 'commander';
import { inspectDataset } from '@recd/datagen';
import type { Io } from '../io';
import { intList } from '../options';
import { formatBytes, formatTable } from '../table';

export function inspectCommand(io: Io, done: (code: number) => void): Command {
  return new Command('inspect')
    .description("a dataset's schema, sizes (total, per column, per sample) and the duplication of its session-constant features")
    .argument('<dir>', 'dataset folder (written by `recd samples`)')
    .option('--batch-sizes <list>', 'batch sizes to measure duplication within, in stored order', intList, [256, 4096])
    .option('--json', 'print one JSON object as the last line of stdout', false)
    .action(async (dir: string, options: { batchSizes: number[]; json: boolean }) => {
      const inspection = await inspectDataset(dir, { batchSizes: options.batchSizes });
      if (options.json) {
        io.stdout(JSON.stringify({ command: 'inspect', dir, ...inspection }) + '\n');
        done(0);
        return;
      }
      io.stdout(
        `${dir}: ${inspection.rows} samples, ${inspection.sessions} sessions, ${inspection.shards} shard(s), ${inspection.rowGroups} row group(s)\n` +
          `  ${inspection.order} order, ${inspection.codec}, ${formatBytes(inspection.bytes)} (${inspection.bytesPerSample.toFixed(1)} bytes/sample)\n\n`,
      );
      io.stdout(
        formatTable(
          ['column', 'type', 'bytes', 'bytes/sample', 'share'],
          inspection.columns.map((column) => [
            column.name,
            column.type,
            formatBytes(column.compressedBytes),
            column.bytesPerSample.toFixed(2),
            `${((100 * column.compressedBytes) / Math.max(1, inspection.bytes)).toFixed(1)}%`,
          ]),
        ) + '\n\n',
      );
      const stats = [...inspection.duplication.groups.map((g) => ({ ...g, name: `group ${g.name}` })), ...inspection.duplication.features];
      io.stdout(
        formatTable(
          ['session-constant', 'distinct', 'samples/distinct', ...inspection.duplication.batchSizes.map((size) => `samples/unique @${size}`)],
          stats.map((stat) => [
            stat.name,
            String(stat.distinct),
            stat.samplesPerDistinct.toFixed(2),
            ...stat.batches.map((batch) => batch.samplesPerUniqueRow.toFixed(2)),
          ]),
        ) + '\n',
      );
      done(0);
    });
}
