import type { JaggedTensor } from './jagged-tensor';

/** Prints the first `maxRows` rows of a jagged tensor, each cut after `maxIds` ids. */
export function formatRows(jt: JaggedTensor, maxRows: number, maxIds: number): string {
  const parts: string[] = [];
  const shown = Math.min(jt.rows, maxRows);
  for (let i = 0; i < shown; i++) {
    const row = jt.row(i);
    const weights = jt.rowWeights(i);
    const items: string[] = [];
    for (let j = 0; j < Math.min(row.length, maxIds); j++) {
      items.push(weights ? `${row[j]}:${roundWeight(weights[j])}` : String(row[j]));
    }
    if (row.length > maxIds) items.push(`... +${row.length - maxIds}`);
    parts.push(`[${items.join(', ')}]`);
  }
  if (jt.rows > maxRows) parts.push(`... +${jt.rows - maxRows} rows`);
  return `[${parts.join(', ')}]`;
}

function roundWeight(weight: number): string {
  return Number.isInteger(weight) ? String(weight) : weight.toPrecision(4);
}
