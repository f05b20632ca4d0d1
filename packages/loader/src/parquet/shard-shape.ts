/** What the manifest says a shard holds, checked when a reader opens the file. */
export interface ShardShape {
  rowGroups: number;
  rows: number;
}

export function checkShardShape(found: ShardShape, expected: ShardShape): void {
  if (found.rowGroups !== expected.rowGroups || found.rows !== expected.rows) {
    throw new Error(`the file has ${found.rowGroups} row groups and ${found.rows} rows, the manifest lists ${expected.rowGroups} and ${expected.rows}: replaced or rewritten?`);
  }
}
