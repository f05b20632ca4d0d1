/**
 * Sample chunk (decoded Parquet columns) -> PreparedChunk: transforms applied, session-constant
 * features reduced to one row per run of equal rows when deduplicating. This is where RecD's
 * preprocessing gain comes from: with dedup on, a session feature is transformed once per run
 * (about once per session) instead of once per sample.
 */
import { SchemaError } from '@recd/core';
import { bucketize, applyDenseTransforms } from './dense-transforms';
import { DecodedChunk, DecodedColumn, DictionaryColumn, isDictionaryColumn, materializeIds, transformDictionaryIds, unmarkEqualRows } from './dictionary-ids';
import { applyIdTransforms, convertIds } from './id-transforms';
import type { JaggedColumn } from './jagged-column';
import type { LoaderPlan } from './plan';
import type { PreparedChunk, PreparedGroup } from './prepared-chunk';
import { markRunStarts, runStartsOf } from './runs';
import { transformRunRows } from './run-rows';
import type { ResolvedIdTransform } from './transforms';

/** Throws SchemaError naming the column when the chunk does not have the plan's columns (the caller adds where). */
export function prepareChunk(chunk: DecodedChunk, plan: LoaderPlan): PreparedChunk {
  const rows = chunk.length;
  const byName = new Map(chunk.columns.map((column) => [column.name, column]));
  const column = (name: string): DecodedColumn => {
    const found = byName.get(name);
    const expected = plan.columns.find((c) => c.name === name)!.type;
    if (found === undefined) throw new SchemaError(`no column "${name}" (the manifest lists it as ${expected}); columns are ${[...byName.keys()].join(', ')}`);
    if (found.type !== expected) throw new SchemaError(`column "${name}": expected ${expected} as the manifest says, got ${found.type}`);
    const length = found.type === 'list<int64>' ? found.offsets!.length - 1 : isDictionaryColumn(found) ? found.codes.length : found.values.length;
    if (length !== rows) throw new SchemaError(`column "${name}": expected ${rows} rows, got ${length}`);
    return found;
  };
  const floats = (name: string): Float32Array => (column(name) as { values: Float32Array }).values;
  const ids = (name: string): IdColumn => {
    const found = column(name);
    if (isDictionaryColumn(found)) return found;
    return found.type === 'list<int64>' ? { offsets: found.offsets, values: found.values } : { offsets: undefined, values: found.values as BigInt64Array };
  };
  const idType = plan.idType;
  const transformAll = (key: IdColumn, chain: readonly ResolvedIdTransform[]): JaggedColumn =>
    isCoded(key) ? (transformDictionaryIds(key, chain, idType) ?? applyIdTransforms(materializeIds(key), chain, idType)) : applyIdTransforms(key, chain, idType);

  const labels = floats(plan.label).slice();
  const dense = plan.dense.map((feature) => applyDenseTransforms(floats(feature.name), feature.chain));
  const sparse = plan.sparse.map((feature) => transformAll(ids(feature.name), feature.chain));
  for (const feature of plan.bucketized) {
    const buckets = bucketize(applyDenseTransforms(floats(feature.name), feature.chain), feature.boundaries!);
    sparse.push({ offsets: undefined, values: convertIds(buckets, idType) });
  }

  const session: JaggedColumn[] = [];
  const groups: PreparedGroup[] = [];
  let runStarts: Int32Array | undefined;
  const sessionFlags = plan.runs && plan.groups.length > 1 ? new Uint8Array(rows) : undefined;
  for (const group of plan.groups) {
    const raw = group.keys.map((feature) => ids(feature.name));
    if (plan.dedup || plan.runs) {
      // runs of plain ids (exact), then of codes (equal codes: equal ids), and the rows only codes
      // marked are checked by id (a dictionary may hold an id twice)
      const flags = new Uint8Array(rows);
      const coded = raw.filter(isCoded);
      markRunStarts(raw.filter((key) => !isCoded(key)) as JaggedColumn[], rows, flags);
      if (coded.length > 0) {
        const exact = coded.length < raw.length ? flags.slice() : undefined;
        markRunStarts(coded.map((key) => ({ offsets: key.offsets, values: key.codes })), rows, flags);
        unmarkEqualRows(coded, rows, flags, exact);
      }
      const starts = runStartsOf(flags, rows);
      // every row a run of its own (one sample per session): transform the column whole
      const selected = starts.length - 1 === rows ? undefined : starts;
      if (plan.dedup) {
        groups.push({
          runStarts: starts,
          keys: raw.map((key, k) => {
            const chain = group.keys[k].chain;
            if (!isCoded(key)) return transformRunRows(key, starts, chain, idType);
            return transformDictionaryIds(key, chain, idType, selected) ?? transformRunRows(materializeIds(key), starts, chain, idType);
          }),
        });
      }
      if (sessionFlags) for (let r = 0; r < rows; r++) sessionFlags[r] |= flags[r];
      else if (plan.runs) runStarts = starts;
    }
    if (!plan.dedup) raw.forEach((key, k) => session.push(transformAll(key, group.keys[k].chain)));
  }
  if (sessionFlags) runStarts = runStartsOf(sessionFlags, rows);
  return { rows, labels, dense, sparse, session, groups, runStarts };
}

/** An id column as it comes from decoding: plain ids, or dictionary codes. */
type IdColumn = JaggedColumn | DictionaryColumn;

function isCoded(column: IdColumn): column is DictionaryColumn {
  return 'codes' in column;
}
