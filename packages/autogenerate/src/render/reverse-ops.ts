import { reverseOp, type IrreversibleOp, type Op } from '@multidb/core';

/**
 * Derives a revision's downgrade from its upgrade (Alembic's `reverse()` over the upgrade ops):
 * each op reversed with core's `reverseOp`, last op first. An op that cannot be reversed (it lacks
 * its `existing…` fields, runs arbitrary SQL, inserts data, adds an enum member) is kept as an
 * explicit `{ kind: 'Irreversible', op, reason }` marker, never guessed.
 *
 * Called by autogenerate when it builds a revision's `RevisionDirectives` (so that
 * `processRevisionDirectives` hooks see and may change the downgrade), and by
 * {@link renderRevisionBody} when it is given no downgrade ops.
 *
 * @param ops - the upgrade ops, in the order they run (not changed).
 * @returns the downgrade ops, in the order they run.
 * @example
 * ```ts
 * reverseOps([
 *   { kind: 'RenameTable', table: 'a', newName: 'b' },
 *   { kind: 'RenameColumn', table: 'b', column: 'x', newName: 'y' },
 * ]);
 * // [{ kind: 'RenameColumn', table: 'b', column: 'y', newName: 'x' },
 * //  { kind: 'RenameTable', table: 'b', newName: 'a' }]
 * ```
 */
export function reverseOps(ops: readonly Op[]): (Op | IrreversibleOp)[] {
  return [...ops].reverse().map(reverseOp);
}
