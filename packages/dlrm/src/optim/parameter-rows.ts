import { RecdError } from '@recd/core';
import type { Parameter } from '../parameter';

/**
 * Checks a parameter before an update and returns its row count (1 row of `value.length` for a
 * dense parameter). For a sparse table also checks every touched row index, so a bad index never
 * writes outside its row.
 */
export function checkedRowCount(param: Parameter): number {
  if (param.grad.length !== param.value.length) {
    throw new RecdError(`parameter "${param.name}": grad has ${param.grad.length} values, expected ${param.value.length} (value.length)`);
  }
  const sparse = param.sparse;
  if (sparse === undefined) return 1;
  const { rowSize, touchedRows, touchedCount } = sparse;
  if (!Number.isInteger(rowSize) || rowSize < 1 || param.value.length % rowSize !== 0) {
    throw new RecdError(`parameter "${param.name}": rowSize ${rowSize} must be a positive divisor of value.length ${param.value.length}`);
  }
  if (!Number.isInteger(touchedCount) || touchedCount < 0 || touchedCount > touchedRows.length) {
    throw new RecdError(`parameter "${param.name}": touchedCount ${touchedCount} outside [0, ${touchedRows.length}] (touchedRows.length)`);
  }
  const rows = param.value.length / rowSize;
  for (let i = 0; i < touchedCount; i++) {
    const row = touchedRows[i];
    if (row < 0 || row >= rows) {
      throw new RecdError(`parameter "${param.name}": touchedRows[${i}] = ${row} outside [0, ${rows})`);
    }
  }
  return rows;
}

/** Checks every parameter before any is updated, so a bad one never leaves a step half done. */
export function checkParameters(params: readonly Parameter[]): void {
  for (const param of params) checkedRowCount(param);
}

/** Number of rows of a parameter: `value.length / rowSize` for a sparse table, else 1. */
export function rowCount(param: Parameter): number {
  return param.sparse === undefined ? 1 : param.value.length / param.sparse.rowSize;
}
