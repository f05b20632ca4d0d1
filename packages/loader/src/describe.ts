import { describeTransform } from './transforms';
import type { LoaderPlan } from './plan';
import type { ResolvedOptions } from './options';

/**
 * The pipeline as text, stage by stage in the order the data meets them, e.g.
 * `parquet(4 shards, 12 row groups, 48000 rows) -> rank(0 of 2) -> prefetch(depth 5, concurrency 2, p-queue)
 * -> workers(2: decode + transforms) -> transform(item_id: modulo(1048576); ...) -> shuffle(sessions, window 4096, seed 1)
 * -> batch(4096) -> dedup(session: user_id, user_history) -> epochs(1)`.
 */
export function describePipeline(source: string, plan: LoaderPlan, options: ResolvedOptions, where: string, queue: string): string {
  const stages = [source];
  if (options.worldSize > 1) stages.push(`rank(${options.rank} of ${options.worldSize})`);
  stages.push(`prefetch(depth ${options.prefetch.depth}, concurrency ${options.prefetch.concurrency}, ${queue})`);
  stages.push(where);
  const chains: string[] = [];
  for (const feature of [...plan.sparse, ...plan.groups.flatMap((group) => group.keys)]) {
    if (feature.chain.length > 0) chains.push(`${feature.name}: ${feature.chain.map(describeTransform).join(' -> ')}`);
  }
  for (const feature of [...plan.dense, ...plan.bucketized]) {
    const steps = feature.chain.map(describeTransform);
    if (feature.boundaries) steps.push(describeTransform({ kind: 'bucketize', boundaries: feature.boundaries }));
    if (steps.length > 0) chains.push(`${feature.name}: ${steps.join(' -> ')}`);
  }
  const grouped = plan.groups.length > 0 ? (plan.dedup ? '; session features once per session run' : '; session features on every row') : '';
  stages.push(`transform(${chains.length > 0 ? chains.join('; ') : 'none'}${chains.length > 0 ? grouped : ''})`);
  if (options.shuffle) stages.push(`shuffle(${options.shuffle.unit === 'sample' ? 'samples' : 'sessions'}, window ${options.shuffle.window}, seed ${options.shuffle.seed}; row groups reordered per epoch)`);
  if (options.limit !== Infinity) stages.push(`limit(${options.limit} samples)`);
  stages.push(`batch(${options.batchSize}${options.dropLast ? ', dropLast' : ''})`);
  if (plan.dedup) {
    stages.push(plan.groups.length > 0 ? `dedup(${plan.groups.map((group) => `${group.name}: ${group.keys.map((key) => key.name).join(', ')}`).join('; ')})` : 'dedup(none: the schema has no dedup groups)');
  }
  stages.push(`epochs(${options.epochs})`);
  return stages.join(' -> ');
}
