import { UnsupportedOperationError } from '@multidb/core';

/**
 * The error of a function that compiles only SQLite's plain ALTER TABLE (e.g.
 * `compileSqliteAddColumn`) when the op needs a table rebuild: it points to batch mode
 * (`op.batchAlterTable`, SQLite's move-and-copy rebuild, DESIGN §6). The dialect itself never
 * throws it: it compiles such ops as a rebuild.
 *
 * @param operation - what cannot be done, completing "sqlite cannot … natively".
 * @param table - the table concerned.
 * @param call - the batch call to write, e.g. `alterColumn('Total', { type: 'numeric(10,2)' })`.
 * @returns the error to throw.
 * @example
 * ```ts
 * throw needsBatchMode('drop a constraint from "Invoice"', 'Invoice', "dropConstraint('uq_x', { type: 'unique' })");
 * ```
 */
export function needsBatchMode(operation: string, table: string, call: string): UnsupportedOperationError {
  return new UnsupportedOperationError(
    'sqlite',
    operation,
    `It needs a table rebuild: compile the op through the SQLite dialect, or use op.batchAlterTable(${JSON.stringify(table)}, (batch) => { batch.${call}; }).`,
  );
}
