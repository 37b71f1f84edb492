import { SchemaUnknownError, type BatchInnerOp, type CompileContext, type RenameIndexOp, type Statement } from '@multidb/core';
import { quoteIdentifier } from '../shared/quote-identifier.js';
import { compileSqliteAddColumn, sqliteAddColumnProblem } from './sqlite-add-column.js';
import { compileSqliteCreateIndex, qualifiedName } from './sqlite-create-table.js';

/**
 * Why SQLite cannot perform an op of a batch with a plain ALTER TABLE (or CREATE/DROP INDEX),
 * judged from the op alone; `undefined` when it can. The table's shape may add reasons (a
 * dropped column that is indexed, see `SqliteBatchTable.nativeProblem`).
 *
 * - `AddColumn`: see {@link sqliteAddColumnProblem};
 * - `DropColumn`: when `existing` says the column is a key or UNIQUE;
 * - `AlterColumn`: any change but `newName`, `comment` (SQLite keeps no comments), `identity` and `serial`
 *   (nor identity columns);
 * - constraint ops (`CreateUniqueConstraint`, `CreateCheckConstraint`, `CreateForeignKey`,
 *   `CreatePrimaryKey`, `DropConstraint`): always;
 * - `DropIndex`, `RenameIndex`: when `existing` says the index is the one of a table-level
 *   UNIQUE (`tableConstraint`; with the table's shape, `SqliteBatchTable.nativeProblem` also
 *   sees it there);
 * - `RenameColumn`, `CreateIndex`: never.
 *
 * @returns the reason, phrased to follow "cannot", e.g. `'change the type of column "Total"'`.
 * @example
 * ```ts
 * sqliteNativeProblem({ kind: 'AlterColumn', table: 'T', column: 'c', changes: { nullable: false }, existing: {} });
 * // 'change the nullable of column "c"'
 * ```
 */
export function sqliteNativeProblem(op: BatchInnerOp): string | undefined {
  switch (op.kind) {
    case 'AddColumn': {
      const problem = sqliteAddColumnProblem(op.column);
      return problem && `add ${problem}`;
    }
    case 'DropColumn': {
      const what = op.existing?.primaryKey ? 'PRIMARY KEY' : op.existing?.unique ? 'UNIQUE' : undefined;
      return what && `drop the ${what} column ${JSON.stringify(op.column)}`;
    }
    case 'AlterColumn': {
      // SQLite keeps no comments and has no identity columns: those changes are nothing to do.
      const { newName: _n, comment: _c, identity: _i, serial: _s, ...changes } = op.changes;
      // No ON UPDATE to remove: nothing to do (compileSqliteBatch refuses a new one).
      const rest = changes.onUpdate === null ? { ...changes, onUpdate: undefined } : changes;
      const changed = Object.entries(rest)
        .filter(([, v]) => v !== undefined)
        .map(([k]) => k);
      return changed.length ? `change the ${changed.join(', ')} of column ${JSON.stringify(op.column)}` : undefined;
    }
    case 'CreateUniqueConstraint':
      return `add the unique constraint ${JSON.stringify(op.name)}`;
    case 'CreateCheckConstraint':
      return `add the check constraint ${JSON.stringify(op.name)}`;
    case 'CreateForeignKey':
      return `add the foreign key ${JSON.stringify(op.name)}`;
    case 'CreatePrimaryKey':
      return `add the primary key ${JSON.stringify(op.name)}`;
    case 'DropConstraint':
      return `drop the ${op.type === 'foreignkey' ? 'foreign key' : op.type === 'primary' ? 'primary key' : `${op.type} constraint`} ${JSON.stringify(op.name)}`;
    case 'DropIndex':
    case 'RenameIndex':
      return op.existing?.tableConstraint ? `${op.kind === 'DropIndex' ? 'drop' : 'rename'} the index ${JSON.stringify(op.name)} of a table-level UNIQUE constraint` : undefined;
    case 'RenameColumn':
    case 'CreateIndex':
      return undefined;
  }
}

/**
 * Compiles an op that {@link sqliteNativeProblem} accepts to its ALTER TABLE (or CREATE/DROP
 * INDEX) statement: `ADD COLUMN`, `DROP COLUMN`, `RENAME COLUMN` (also an `AlterColumn` that only
 * renames; a comment-only one compiles to nothing), `CREATE INDEX`, `DROP INDEX`, and for
 * `RenameIndex` `DROP INDEX` then `CREATE INDEX` of its `existing` definition under the new name
 * (the table's shape unknown; with the shape, `SqliteBatchTable.nativeRenameIndex` reads it).
 *
 * @param ctx - the table's snapshot, when present, makes ADD COLUMN use STRICT types.
 * @throws `UnsupportedOperationError` for an op that needs a rebuild (callers check first);
 *   `SchemaUnknownError` (`field: 'existing'`) for a `RenameIndex` without `existing`.
 * @example
 * ```ts
 * compileSqliteNativeAlter({ kind: 'RenameColumn', table: 'T', column: 'a', newName: 'b' }, ctx);
 * // [{ sql: 'ALTER TABLE "T" RENAME COLUMN "a" TO "b"', parameters: [] }]
 * ```
 */
export function compileSqliteNativeAlter(op: BatchInnerOp, ctx: CompileContext): Statement[] {
  const table = qualifiedName(op.table, op.schema);
  const sql = (text: string): Statement[] => [{ sql: text, parameters: [] }];
  switch (op.kind) {
    case 'AddColumn':
      return compileSqliteAddColumn(op, ctx);
    case 'DropColumn':
      return sql(`ALTER TABLE ${table} DROP COLUMN ${quoteIdentifier(op.column)}`);
    case 'RenameColumn':
      return sql(`ALTER TABLE ${table} RENAME COLUMN ${quoteIdentifier(op.column)} TO ${quoteIdentifier(op.newName)}`);
    case 'AlterColumn':
      return op.changes.newName === undefined
        ? []
        : sql(`ALTER TABLE ${table} RENAME COLUMN ${quoteIdentifier(op.column)} TO ${quoteIdentifier(op.changes.newName)}`);
    case 'CreateIndex':
      return [compileSqliteCreateIndex(op.table, op.schema, op.index, op.ifNotExists ?? false)];
    case 'DropIndex':
      return sql(`DROP INDEX ${op.ifExists ? 'IF EXISTS ' : ''}${qualifiedName(op.name, op.schema)}`);
    case 'RenameIndex':
      return renameIndexFromExisting(op);
    default:
      throw new Error(`${op.kind} has no native SQLite form.`);
  }
}

/** A rename of an index from the op's `existing` definition alone (the table's shape unknown). */
function renameIndexFromExisting(op: RenameIndexOp): Statement[] {
  if (!op.existing) {
    const call = `op.renameIndex(${JSON.stringify(op.table)}, ${JSON.stringify(op.name)}, ${JSON.stringify(op.newName)}, { existing: { columns, unique } })`;
    throw new SchemaUnknownError(
      op.table,
      'existing',
      `SQLite has no index rename: it drops index ${JSON.stringify(op.name)} and creates it again as ${JSON.stringify(op.newName)}, ` +
        `which needs the index's definition: online it is read from the database, which has no table ${JSON.stringify(op.table)}; ` +
        `offline, pass it as existing (${call}).`,
    );
  }
  return [
    { sql: `DROP INDEX ${qualifiedName(op.name, op.schema)}`, parameters: [] },
    compileSqliteCreateIndex(op.table, op.schema, { ...op.existing, name: op.newName }, false),
  ];
}
