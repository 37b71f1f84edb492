import {
  OperationError,
  SchemaUnknownError,
  UnsupportedOperationError,
  type BatchAlterTableOp,
  type BatchInnerOp,
  type CompileContext,
  type Statement,
} from '@multidb/core';
import { SqliteBatchTable } from './sqlite-batch-table.js';
import { nameReflectedConstraints } from './sqlite-constraint-names.js';
import { compileSqliteNativeAlter, sqliteNativeProblem } from './sqlite-native-alter.js';
import { compileSqliteRebuild } from './sqlite-rebuild.js';

/**
 * Compiles `batchAlterTable` for SQLite (DESIGN §6, §7).
 *
 * - `recreate: 'auto'` (default): when every op can run as a plain ALTER on the table as it is at
 *   that point (ADD COLUMN within SQLite's limits, RENAME COLUMN, DROP COLUMN of a column no key,
 *   constraint, index, generated column, trigger or view uses, CREATE/DROP INDEX, an index
 *   rename as DROP INDEX and CREATE INDEX), the batch compiles to those statements, in order. Otherwise the whole batch is one rebuild
 *   ({@link compileSqliteRebuild}), with `partialReordering` applied.
 * - `'always'`: a rebuild, whatever the ops.
 * - `'never'`: plain ALTERs only; a batch that needs a rebuild throws.
 *
 * The table's shape is the snapshot in `ctx` (the runner reads the live table first, see the
 * dialect's `requiredSnapshots`; offline, the shape the script's revisions made), else
 * `options.copyFrom`: online a `copyFrom` that differs from the live table is not used, so a
 * stale one never rebuilds the table into a wrong shape. Unnamed constraints of that shape are
 * named from `ctx.namingConvention` (`nameReflectedConstraints`), so ops can drop them by name.
 *
 * @param label - how errors name the call (default `batchAlterTable("T")`); a plain op compiled
 *   as a one-op batch passes its own.
 * @throws {@link UnsupportedOperationError} for `'never'` when a rebuild is needed, and for an
 *   `alterColumn` that gives a column an `ON UPDATE` (MySQL/MariaDB only);
 *   {@link SchemaUnknownError} (an `OperationError`, `field: 'copyFrom'`) when a rebuild is needed
 *   and the shape is unknown (table not found online; offline without `copyFrom`), and
 *   (`field: 'existing'`) for an index rename without the shape or the op's `existing`;
 *   {@link OperationError} for an inner op on another table, and for ops that name missing
 *   columns, indexes or constraints.
 * @example
 * ```ts
 * compileSqliteBatch({ kind: 'BatchAlterTable', table: 'T', ops: [{ kind: 'DropColumn', table: 'T', column: 'b' }], options: { copyFrom: table } }, ctx);
 * // CREATE TABLE "_multidb_tmp_T" … INSERT … SELECT … DROP TABLE "T" … RENAME … CREATE INDEX …
 * ```
 */
export function compileSqliteBatch(op: BatchAlterTableOp, ctx: CompileContext, label?: string): Statement[] {
  const where = label ?? `batchAlterTable(${JSON.stringify(op.table)})`;
  for (const inner of op.ops) {
    if (inner.table !== op.table || inner.schema !== op.schema) {
      throw new OperationError(`An op inside ${where} names table '${inner.table}'; batch ops apply to the batch's table.`);
    }
    if (inner.kind === 'AlterColumn' && typeof inner.changes.onUpdate === 'string') {
      throw new UnsupportedOperationError('sqlite', `give "${inner.column}" ON UPDATE ${inner.changes.onUpdate}`, 'ON UPDATE on a column is MySQL/MariaDB only; use a trigger.');
    }
  }
  const recreate = op.options.recreate ?? 'auto';
  const reordering = op.options.partialReordering ?? [];
  const shape = ctx.snapshots.get(op.table) ?? op.options.copyFrom;
  const forced = recreate === 'always' ? undefined : reordering.length ? 'reorder the columns' : undefined;
  const never = (reason: string) =>
    new UnsupportedOperationError('sqlite', `${reason} in ${JSON.stringify(op.table)} (${where})`, "It needs a table rebuild, which recreate: 'never' forbids.");

  if (!shape) {
    // Without the table's shape only plain ALTERs judged from the ops alone are possible.
    const reason = recreate === 'always' ? 'rebuild the table' : (forced ?? op.ops.map(sqliteNativeProblem).find((p) => p !== undefined));
    if (reason !== undefined) {
      if (recreate === 'never' && reason !== 'rebuild the table') throw never(reason);
      throw new SchemaUnknownError(
        op.table,
        'copyFrom',
        `SQLite needs the current shape of table ${JSON.stringify(op.table)} to ${reason} (${where}) by a table rebuild: ` +
          `online it is read from the database, where the table must exist; offline, pass it as copyFrom ` +
          `(op.batchAlterTable(${JSON.stringify(op.table)}, …, { copyFrom })).`,
      );
    }
    return op.ops.flatMap((inner) => compileSqliteNativeAlter(inner, ctx));
  }

  const table = new SqliteBatchTable(nameReflectedConstraints(shape, ctx.namingConvention), ctx.namingConvention);
  const nativeCtx: CompileContext = { ...ctx, snapshots: new Map([...ctx.snapshots, [op.table, shape]]) };
  const native: Statement[] = [];
  let reason: string | undefined = forced;
  let rebuild = recreate === 'always' || forced !== undefined;
  for (const inner of op.ops) {
    if (!rebuild) {
      reason = table.nativeProblem(inner);
      // A renamed index is created again from its definition at this point of the batch.
      if (reason === undefined) native.push(...(inner.kind === 'RenameIndex' ? table.nativeRenameIndex(inner) : compileSqliteNativeAlter(inner, nativeCtx)));
      else rebuild = true;
    }
    table.apply(inner);
  }
  if (!rebuild) return native;
  if (recreate === 'never') throw never(reason ?? 'rebuild the table');
  return compileSqliteRebuild(table.result(reordering), ctx.namingConvention);
}

/**
 * Compiles a plain op (`op.dropColumn`, `op.alterColumn`, `op.createForeignKey`, …) as a batch
 * of that one op with `recreate: 'auto'`, so a revision never meets SQLite's ALTER limits.
 * @example
 * ```ts
 * compileSqliteOpAsBatch({ kind: 'DropConstraint', table: 'T', name: 'uq_T_code', type: 'unique' }, ctx);
 * ```
 */
export function compileSqliteOpAsBatch(op: BatchInnerOp, ctx: CompileContext): Statement[] {
  const batch: BatchAlterTableOp = { kind: 'BatchAlterTable', table: op.table, ...(op.schema !== undefined ? { schema: op.schema } : {}), ops: [op], options: {} };
  const name = op.kind.charAt(0).toLowerCase() + op.kind.slice(1);
  return compileSqliteBatch(batch, ctx, `op.${name}(${JSON.stringify(op.table)}, …)`);
}
