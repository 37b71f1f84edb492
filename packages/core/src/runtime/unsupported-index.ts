import type { Dialect } from '../dialect/dialect.js';
import { UnsupportedIndexError } from '../errors.js';
import type { Op } from '../operations/op-objects.js';
import type { IndexSnapshot } from '../schema/table-snapshot.js';
import type { OpSite } from './non-transactional-op.js';
import { describeOp } from './offline-snapshots.js';

/** The indexes an op creates, with their tables: a new table's, a created index, a batch block's. */
function createdIndexes(op: Op): readonly (readonly [string, IndexSnapshot])[] {
  switch (op.kind) {
    case 'CreateTable':
      return op.table.indexes.map((ix) => [op.table.name, ix] as const);
    case 'CreateIndex':
      return [[op.table, op.index]];
    case 'BatchAlterTable':
      return op.ops.flatMap((inner) => (inner.kind === 'CreateIndex' ? [[op.table, inner.index] as const] : []));
    default:
      return [];
  }
}

/**
 * Refuses an op that creates an index the bind's database cannot have (`Dialect.unsupportedIndex`:
 * MariaDB has no expression indexes): the check the runner, the SQL preview and offline mode
 * (`--sql`) share, made before anything of the op is sent or written. A dialect without the method
 * (or an op that creates no index) returns at once.
 *
 * @param op - the op the revision called.
 * @param dialect - the bind's dialect.
 * @param site - the bind, revision and file, for the message.
 * @throws {@link UnsupportedIndexError} naming the op, the table, the index, the dialect's reason,
 *   the bind, the revision and its file (the first such index of the op).
 * @example
 * ```ts
 * checkIndexes({ kind: 'CreateIndex', table: 'person', index: { name: 'uq_person_email', columns: [{ sql: '(lower(`email`))' }], unique: true } }, dialect, { bind: 'db3', revision: '3f2a9c1d7b40' });
 * // MariaDB: throws UnsupportedIndexError; MySQL, PostgreSQL, SQLite: returns
 * ```
 * @internal
 */
export function checkIndexes(op: Op, dialect: Dialect, site: OpSite): void {
  if (!dialect.unsupportedIndex) return;
  for (const [table, index] of createdIndexes(op)) {
    const reason = dialect.unsupportedIndex(index);
    if (reason !== undefined) throw new UnsupportedIndexError({ ...site, op: describeOp(op), table, index: index.name, reason });
  }
}
