import {
  DEFAULT_CAPABILITIES,
  dispatchOp,
  OperationError,
  UnsupportedOperationError,
  type BatchAlterTableOp,
  type CompileContext,
  type Dialect,
  type DialectCapabilities,
  type Op,
  type OpTable,
  type Statement,
} from '@multidb/core';
import { SqliteAdapter, SqliteIntrospector as KyselySqliteIntrospector, SqliteQueryCompiler, type Kysely } from 'kysely';
import { compileBulkInsert } from '../shared/compile-bulk-insert.js';
import { offlineKysely } from '../shared/offline-kysely.js';
import { quoteIdentifier } from '../shared/quote-identifier.js';
import { renderLiteral, SQLITE_LITERAL_STYLE } from '../shared/render-literal.js';
import { compileSqliteAddColumn } from './sqlite-add-column.js';
import { checkSameSchema, compileSqliteCreateIndex, compileSqliteCreateTable, qualifiedName } from './sqlite-create-table.js';
import { toSqliteParameter } from './sqlite-parameter.js';
import { needsBatchMode } from './sqlite-unsupported.js';

/** SQLite's capabilities: transactional DDL, 32,766 parameters, no ALTER COLUMN or ALTER CONSTRAINT. */
export const SQLITE_CAPABILITIES: DialectCapabilities = Object.freeze({
  ...DEFAULT_CAPABILITIES,
  transactionalDdl: true,
  maxParameters: 32_766,
  alterColumn: false,
  alterConstraints: false,
});

let compilerDb: Kysely<any> | undefined;
/** Kysely without a connection, for compiling bulk inserts with Kysely's SQLite compiler. */
function sqliteCompiler(): Kysely<any> {
  return (compilerDb ??= offlineKysely({
    createAdapter: () => new SqliteAdapter(),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new KyselySqliteIntrospector(db),
  }));
}

const sql = (text: string): Statement[] => [{ sql: text, parameters: [] }];

function compilers(ctx: CompileContext): OpTable<Statement[]> {
  return {
    CreateTable: (op) => compileSqliteCreateTable(op),
    DropTable: (op) => sql(`DROP TABLE ${op.ifExists ? 'IF EXISTS ' : ''}${qualifiedName(op.table, op.schema)}`),
    RenameTable: (op) => sql(`ALTER TABLE ${qualifiedName(op.table, op.schema)} RENAME TO ${quoteIdentifier(op.newName)}`),
    AddColumn: (op) => compileSqliteAddColumn(op, ctx),
    DropColumn: (op) => {
      // SQLite refuses to drop a key or UNIQUE column (and an indexed or referenced one, which
      // only the database knows): say so up front when `existing` tells.
      const what = op.existing?.primaryKey ? 'PRIMARY KEY' : op.existing?.unique ? 'UNIQUE' : undefined;
      if (what) throw needsBatchMode(`drop the ${what} column ${JSON.stringify(op.column)} from ${JSON.stringify(op.table)}`, op.table, `dropColumn(${JSON.stringify(op.column)})`);
      return sql(`ALTER TABLE ${qualifiedName(op.table, op.schema)} DROP COLUMN ${quoteIdentifier(op.column)}`);
    },
    RenameColumn: (op) =>
      sql(`ALTER TABLE ${qualifiedName(op.table, op.schema)} RENAME COLUMN ${quoteIdentifier(op.column)} TO ${quoteIdentifier(op.newName)}`),
    AlterColumn: (op) => {
      const { newName, comment: _ignored, ...rest } = op.changes;
      const changed = Object.entries(rest)
        .filter(([, v]) => v !== undefined)
        .map(([k]) => k);
      if (changed.length) {
        throw needsBatchMode(
          `change the ${changed.join(', ')} of column ${JSON.stringify(op.column)} of ${JSON.stringify(op.table)}`,
          op.table,
          `alterColumn(${JSON.stringify(op.column)}, { ${changed.map((k) => `${k}: …`).join(', ')} })`,
        );
      }
      if (newName === undefined) return []; // a comment-only change: SQLite has no comments
      return sql(`ALTER TABLE ${qualifiedName(op.table, op.schema)} RENAME COLUMN ${quoteIdentifier(op.column)} TO ${quoteIdentifier(newName)}`);
    },
    CreateIndex: (op) => [compileSqliteCreateIndex(op.table, op.schema, op.index, op.ifNotExists ?? false)],
    DropIndex: (op) => sql(`DROP INDEX ${qualifiedName(op.name, op.schema)}`),
    CreateUniqueConstraint: (op) =>
      constraintError(`add the unique constraint ${JSON.stringify(op.name)}`, op.table, `createUniqueConstraint(${JSON.stringify(op.name)}, ${JSON.stringify(op.columns)})`),
    CreateCheckConstraint: (op) =>
      constraintError(`add the check constraint ${JSON.stringify(op.name)}`, op.table, `createCheckConstraint(${JSON.stringify(op.name)}, ${JSON.stringify(op.expression)})`),
    CreateForeignKey: (op) => {
      checkSameSchema(op, op.referredSchema, op.referredTable);
      return constraintError(
        `add the foreign key ${JSON.stringify(op.name)}`,
        op.table,
        `createForeignKey(${JSON.stringify(op.name)}, ${JSON.stringify(op.referredTable)}, ${JSON.stringify(op.columns)}, ${JSON.stringify(op.referredColumns)})`,
      );
    },
    CreatePrimaryKey: (op) =>
      constraintError(`add the primary key ${JSON.stringify(op.name)}`, op.table, `createPrimaryKey(${JSON.stringify(op.name)}, ${JSON.stringify(op.columns)})`),
    DropConstraint: (op) =>
      constraintError(
        `drop the ${op.type === 'foreignkey' ? 'foreign key' : op.type === 'primary' ? 'primary key' : `${op.type} constraint`} ${JSON.stringify(op.name)}`,
        op.table,
        `dropConstraint(${JSON.stringify(op.name)}, { type: '${op.type}' })`,
      ),
    BatchAlterTable: (op) => compileBatch(op, ctx),
    Execute: (op) => [{ sql: op.sql, parameters: (op.parameters ?? []).map(toSqliteParameter) }],
    BulkInsert: (op) => compileBulkInsert(sqliteCompiler(), op, SQLITE_CAPABILITIES.maxParameters, toSqliteParameter),
  };
}

function constraintError(what: string, table: string, call: string): never {
  throw needsBatchMode(`${what} ${what.startsWith('drop') ? 'from' : 'to'} the existing table ${JSON.stringify(table)}`, table, call);
}

/**
 * A batch block whose every inner op SQLite can do with ALTER TABLE compiles to those ALTERs, in
 * order (`recreate: 'auto'` or `'never'`). Anything needing the move-and-copy rebuild throws:
 * the rebuild is not implemented yet, and compile never pretends.
 */
function compileBatch(op: BatchAlterTableOp, ctx: CompileContext): Statement[] {
  const recreate = op.options.recreate ?? 'auto';
  const where = `batchAlterTable(${JSON.stringify(op.table)})`;
  if (recreate === 'always') {
    throw new UnsupportedOperationError(
      'sqlite',
      `rebuild ${JSON.stringify(op.table)} (${where} with recreate: 'always')`,
      'The move-and-copy rebuild of batch mode is not available in this version yet.',
    );
  }
  return op.ops.flatMap((inner) => {
    if (inner.table !== op.table || inner.schema !== op.schema) {
      throw new OperationError(`An op inside ${where} names table '${inner.table}'; batch ops apply to the batch's table.`);
    }
    try {
      return dispatchOp(compilers(ctx), inner);
    } catch (error) {
      if (!(error instanceof UnsupportedOperationError)) throw error;
      throw new UnsupportedOperationError(
        'sqlite',
        `${error.operation} (inside ${where})`,
        recreate === 'never'
          ? "It needs a table rebuild, which recreate: 'never' forbids."
          : 'It needs the move-and-copy rebuild of batch mode, which is not available in this version yet.',
      );
    }
  });
}

/**
 * The pure SQLite dialect: compiles op objects to SQLite statements without a connection (the
 * same path serves online runs, SQL previews, exact-SQL tests and offline `--sql`).
 *
 * What each op compiles to:
 * - `CreateTable` → `CREATE TABLE` (+ `CREATE INDEX` per index); `DropTable` → `DROP TABLE`;
 *   `RenameTable` → `ALTER TABLE … RENAME TO`;
 * - `AddColumn` → `ALTER TABLE … ADD COLUMN` where SQLite allows it; `DropColumn` → `ALTER TABLE …
 *   DROP COLUMN`; `RenameColumn` and an `AlterColumn` that only renames → `ALTER TABLE … RENAME COLUMN`;
 * - `CreateIndex` → `CREATE [UNIQUE] INDEX … [WHERE …]`; `DropIndex` → `DROP INDEX`;
 * - `BatchAlterTable` → its inner ops' ALTERs when each is native;
 * - `Execute` → the statement as given; `BulkInsert` → multi-row `INSERT`s with bound parameters.
 *
 * Constraint ops, other `AlterColumn` changes and anything needing a rebuild throw
 * {@link UnsupportedOperationError} pointing to `op.batchAlterTable`. SQLite has no comments:
 * table and column comments are ignored, and a comment-only `AlterColumn` compiles to nothing.
 *
 * @example
 * ```ts
 * sqliteDialect.compile({ kind: 'RenameTable', table: 'Invoice', newName: 'Bill' }, ctx);
 * // [{ sql: 'ALTER TABLE "Invoice" RENAME TO "Bill"', parameters: [] }]
 * sqliteDialect.inlineLiteral("O'Reilly"); // "'O''Reilly'"
 * ```
 */
export const sqliteDialect: Dialect = Object.freeze({
  name: 'sqlite',
  capabilities: SQLITE_CAPABILITIES,
  compile(op: Op, ctx: CompileContext): Statement[] {
    return dispatchOp(compilers(ctx), op);
  },
  requiredSnapshots(op: Op): readonly string[] {
    // ADD COLUMN needs to know whether the table is STRICT (its types are then mapped). Without
    // the snapshot (offline), the declared type is written as is. Batch mode's rebuild will
    // need the snapshot too.
    if (op.kind === 'AddColumn') return [op.table];
    if (op.kind === 'BatchAlterTable' && op.ops.some((o) => o.kind === 'AddColumn')) return [op.table];
    return [];
  },
  inlineLiteral(value: unknown): string {
    return renderLiteral(value, SQLITE_LITERAL_STYLE);
  },
  quoteIdentifier(name: string): string {
    return quoteIdentifier(name);
  },
});
