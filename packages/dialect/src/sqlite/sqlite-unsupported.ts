import { UnsupportedOperationError, type Op } from '@multidb/core';

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

/**
 * Refuses an index op with `concurrently` (alone, or inside a batch block built by hand): SQLite
 * has one writer at a time, and `CREATE INDEX` and `DROP INDEX` hold the database's write lock
 * until they end, so no index can be built or dropped without blocking writers. An op never
 * pretends (DESIGN §6): the caller asked for a build that does not block writes, and a silent
 * blocking build would be the opposite.
 *
 * @param op - any op.
 * @throws {@link UnsupportedOperationError} for a `CreateIndex` or `DropIndex` with
 *   `concurrently`, saying to leave it out on SQLite.
 * @example
 * ```ts
 * refuseConcurrentIndex({ kind: 'DropIndex', table: 'Invoice', name: 'ix_a', concurrently: true }); // throws
 * ```
 */
export function refuseConcurrentIndex(op: Op): void {
  if (op.kind === 'BatchAlterTable') {
    for (const inner of op.ops) refuseConcurrentIndex(inner);
    return;
  }
  if ((op.kind !== 'CreateIndex' && op.kind !== 'DropIndex') || !op.concurrently) return;
  const name = op.kind === 'CreateIndex' ? op.index.name : op.name;
  throw new UnsupportedOperationError(
    'sqlite',
    `${op.kind === 'CreateIndex' ? 'create' : 'drop'} the index ${JSON.stringify(name)} concurrently (without blocking writers)`,
    'SQLite has one writer at a time: CREATE INDEX and DROP INDEX hold the database\'s write lock until they end. ' +
      "Leave concurrently out on a SQLite bind (for a revision several dialects share: { concurrently: op.dialectName !== 'sqlite' }).",
  );
}
