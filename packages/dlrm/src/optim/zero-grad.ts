import type { Parameter } from '../parameter';

/**
 * Clears gradients. Dense parameters are zeroed whole; sparse tables only on their touched rows
 * (cost proportional to the rows a step touched, not to the table), then `touchedCount = 0`.
 */
export function zeroGradients(params: readonly Parameter[]): void {
  for (const param of params) {
    const sparse = param.sparse;
    if (sparse === undefined) {
      param.grad.fill(0);
      continue;
    }
    const { rowSize, touchedRows, touchedCount } = sparse;
    for (let i = 0; i < touchedCount; i++) {
      const start = touchedRows[i] * rowSize;
      // A negative start would make fill() count from the end and clear the wrong row.
      if (start >= 0) param.grad.fill(0, start, start + rowSize);
    }
    sparse.touchedCount = 0;
  }
}
