import { UnsupportedOperationError } from '@multidb/core';

/**
 * The error for an op SQLite cannot do with ALTER TABLE: it points to batch mode
 * (`op.batchAlterTable`, SQLite's move-and-copy rebuild, DESIGN §6). Batch mode's rebuild is not
 * part of this version yet, and the message says so rather than pretending.
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
    `It needs a table rebuild: use op.batchAlterTable(${JSON.stringify(table)}, (batch) => { batch.${call}; }). ` +
      `(The move-and-copy rebuild of batch mode is not available in this version yet.)`,
  );
}
