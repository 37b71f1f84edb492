import {
  DEFAULT_CAPABILITIES,
  dispatchOp,
  type BatchAlterTableOp,
  type BatchInnerOp,
  type CompileContext,
  type Dialect,
  type DialectCapabilities,
  type DropIndexOp,
  type Op,
  type OpTable,
  type Statement,
} from '@multidb/core';
import { sql as kyselySql, SqliteAdapter, type CreateTableBuilder, SqliteIntrospector as KyselySqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import { compileBulkInsert } from '../shared/compile-bulk-insert.js';
import { lazyOfflineKysely } from '../shared/offline-kysely.js';
import { quoteIdentifier } from '../shared/quote-identifier.js';
import { renderLiteral, SQLITE_LITERAL_STYLE } from '../shared/render-literal.js';
import { compileSqliteAddColumn, sqliteAddColumnProblem } from './sqlite-add-column.js';
import { compileSqliteBatch, compileSqliteOpAsBatch } from './sqlite-batch.js';
import { compileSqliteCreateTable, qualifiedName } from './sqlite-create-table.js';
import { compileSqliteNativeAlter, sqliteNativeProblem } from './sqlite-native-alter.js';
import { refuseConcurrentIndex } from './sqlite-unsupported.js';
import { SQLITE_OFFLINE_SQL } from './sqlite-offline-sql.js';
import { toSqliteParameter } from './sqlite-parameter.js';
import { sqliteComparator } from './sqlite-comparator.js';
import { sqliteTypeSubstitutions } from './sqlite-type-substitutions.js';
import { sqliteUnknownTypes } from './sqlite-unknown-types.js';

/**
 * SQLite's capabilities: transactional DDL, 32,766 parameters, no ALTER COLUMN or ALTER CONSTRAINT,
 * no comments, no index rename, no schemas inside a database (a bind's `schema` is refused), no
 * checks of a type's length or precision (`varchar(1)` keeps `'xl'`).
 */
export const SQLITE_CAPABILITIES: DialectCapabilities = Object.freeze({
  ...DEFAULT_CAPABILITIES,
  transactionalDdl: true,
  maxParameters: 32_766,
  alterColumn: false,
  alterConstraints: false,
  comments: false,
  renameIndex: false,
  schemas: false,
  checksTypeSizes: false,
});

/** Kysely without a connection, for compiling bulk inserts with Kysely's SQLite compiler. */
const sqliteCompiler = lazyOfflineKysely({
    createAdapter: () => new SqliteAdapter(),
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new KyselySqliteIntrospector(db),
  });

const sql = (text: string): Statement[] => [{ sql: text, parameters: [] }];

function compilers(ctx: CompileContext): OpTable<Statement[]> {
  return {
    CreateTable: (op) => compileSqliteCreateTable(op, ctx.namingConvention),
    DropTable: (op) => sql(`DROP TABLE ${op.ifExists ? 'IF EXISTS ' : ''}${qualifiedName(op.table, op.schema)}`),
    RenameTable: (op) => sql(`ALTER TABLE ${qualifiedName(op.table, op.schema)} RENAME TO ${quoteIdentifier(op.newName)}`),
    AddColumn: (op) => (sqliteAddColumnProblem(op.column) ? compileSqliteOpAsBatch(op, ctx) : compileSqliteAddColumn(op, ctx)),
    DropColumn: (op) => compileSqliteOpAsBatch(op, ctx),
    RenameColumn: (op) => compileSqliteNativeAlter(op, ctx),
    AlterColumn: (op) => compileSqliteOpAsBatch(op, ctx),
    CreateIndex: (op) => compileSqliteNativeAlter(op, ctx),
    // The index SQLite keeps for a table-level UNIQUE (reported as an index for its DESC key) goes only with a rebuild.
    DropIndex: (op) => (madeByTableConstraint(op, ctx) ? compileSqliteOpAsBatch(op, ctx) : compileSqliteNativeAlter(op, ctx)),
    // No RENAME INDEX: DROP INDEX and CREATE INDEX of its definition (as a one-op batch, which reads it).
    RenameIndex: (op) => compileSqliteOpAsBatch(op, ctx),
    CreateUniqueConstraint: (op) => compileSqliteOpAsBatch(op, ctx),
    CreateCheckConstraint: (op) => compileSqliteOpAsBatch(op, ctx),
    CreateForeignKey: (op) => compileSqliteOpAsBatch(op, ctx),
    CreatePrimaryKey: (op) => compileSqliteOpAsBatch(op, ctx),
    DropConstraint: (op) => compileSqliteOpAsBatch(op, ctx),
    BatchAlterTable: (op) => compileSqliteBatch(op, ctx),
    Execute: (op) => [{ sql: op.sql, parameters: (op.parameters ?? []).map(toSqliteParameter) }],
    BulkInsert: (op) => compileBulkInsert(sqliteCompiler(), op, SQLITE_CAPABILITIES.maxParameters, toSqliteParameter),
    // SQLite has no enum types and no comments: an enum column is varchar(longest member), and comments are not kept.
    CreateEnum: () => [],
    DropEnum: () => [],
    AddEnumValue: () => [],
    AlterTableComment: () => [],
  };
}

/** Ops that may need a table rebuild: the dialect asks for the table's snapshot and a transaction. */
/**
 * Whether a `DropIndex` drops the index SQLite keeps for a table-level UNIQUE constraint
 * (`IndexSnapshot.tableConstraint`): its `existing` says so, or the table's snapshot (online).
 */
function madeByTableConstraint(op: DropIndexOp, ctx: CompileContext): boolean {
  if (op.existing?.tableConstraint) return true;
  const lower = op.name.toLowerCase();
  return ctx.snapshots.get(op.table)?.indexes.some((ix) => ix.name.toLowerCase() === lower && ix.tableConstraint === true) ?? false;
}

function mayRebuild(op: Op): op is BatchInnerOp | BatchAlterTableOp {
  switch (op.kind) {
    case 'BatchAlterTable':
    case 'DropColumn':
    case 'CreateUniqueConstraint':
    case 'CreateCheckConstraint':
    case 'CreateForeignKey':
    case 'CreatePrimaryKey':
    case 'DropConstraint':
      return true;
    case 'AlterColumn':
      return sqliteNativeProblem(op) !== undefined;
    case 'AddColumn':
      return sqliteAddColumnProblem(op.column) !== undefined;
    default:
      return false;
  }
}

/**
 * The pure SQLite dialect: compiles op objects to SQLite statements without a connection (the
 * same path serves online runs, SQL previews, exact-SQL tests and offline `--sql`).
 *
 * What each op compiles to:
 * - `CreateTable` → `CREATE TABLE` (+ `CREATE INDEX` per index); `DropTable` → `DROP TABLE`;
 *   `RenameTable` → `ALTER TABLE … RENAME TO`; `RenameColumn` → `ALTER TABLE … RENAME COLUMN`;
 *   `CreateIndex` → `CREATE [UNIQUE] INDEX … [WHERE …]`; `DropIndex` → `DROP INDEX`, or a
 *   rebuild for the index of a table-level UNIQUE (`IndexSnapshot.tableConstraint`, known from
 *   `existing` or, online, from the table);
 * - `RenameIndex` → `DROP INDEX` then `CREATE INDEX` of the same definition under the new name:
 *   its stored CREATE INDEX text online (directions and collations kept), the definition of an
 *   index the script created offline, else the op's `existing`;
 * - `BatchAlterTable` → see {@link compileSqliteBatch}: plain ALTERs where SQLite allows them
 *   (`recreate: 'auto'`), else the move-and-copy rebuild ({@link compileSqliteRebuild});
 * - `AddColumn`, `DropColumn`, `AlterColumn`, `CreateUniqueConstraint`, `CreateCheckConstraint`,
 *   `CreateForeignKey`, `CreatePrimaryKey`, `DropConstraint` → compiled as a batch of that one op
 *   with `recreate: 'auto'`: `ALTER TABLE … ADD/DROP/RENAME COLUMN` when SQLite can, else a rebuild;
 * - `Execute` → the statement as given; `BulkInsert` → multi-row `INSERT`s with bound parameters.
 *
 * `CreateIndex` and `DropIndex` with `concurrently` are refused ({@link refuseConcurrentIndex}):
 * SQLite cannot build or drop an index without blocking writers.
 *
 * A version table multidb creates is `WITHOUT ROWID` ({@link Dialect.finishVersionTable}).
 *
 * A rebuild needs the table's snapshot: {@link Dialect.requiredSnapshots} names the table for
 * every op that may rebuild, and {@link Dialect.requiresTransaction} is true for them (a revision
 * with `transaction = false` gets a transaction around the op). Truly impossible requests throw
 * {@link UnsupportedOperationError} (`recreate: 'never'` when a rebuild is needed, array types,
 * misplaced AUTOINCREMENT). SQLite has no comments: table and column comments are ignored, and a
 * comment-only `AlterColumn` compiles to nothing.
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
    refuseConcurrentIndex(op);
    return dispatchOp(compilers(ctx), op);
  },
  requiredSnapshots(op: Op): readonly string[] {
    // A rebuild compiles from the table's shape; ADD COLUMN needs to know whether the table is
    // STRICT (its types are then mapped). A batch reads the table even with copyFrom: online the
    // live table is the truth (a copyFrom gone stale must not rebuild the table into its shape),
    // copyFrom serves where nothing can be read (offline, a table no revision of the script made).
    if (op.kind === 'BatchAlterTable') return [op.table];
    // An index rename creates the index again from its definition, read from the table; an index
    // drop looks whether the index is a table-level UNIQUE's (then it rebuilds).
    if (op.kind === 'DropIndex') return op.table !== '' ? [op.table] : [];
    if (op.kind === 'AddColumn' || op.kind === 'RenameIndex' || mayRebuild(op)) return [op.table];
    return [];
  },
  requiresTransaction(op: Op): boolean {
    // An index rename is two statements: without a transaction a failed CREATE would lose the index.
    return op.kind === 'RenameIndex' || (op.kind === 'DropIndex' && op.existing?.tableConstraint === true) || mayRebuild(op);
  },
  unknownTypes: sqliteUnknownTypes,
  typeSubstitutions: sqliteTypeSubstitutions,
  inlineLiteral(value: unknown): string {
    return renderLiteral(value, SQLITE_LITERAL_STYLE);
  },
  quoteIdentifier(name: string): string {
    return quoteIdentifier(name);
  },
  comparator: sqliteComparator,
  queryBuilder: () => sqliteCompiler(),
  offline: SQLITE_OFFLINE_SQL,
  // One b-tree keyed by version_num: a revision's version write dirties one page, not two.
  finishVersionTable(table: CreateTableBuilder<string, never>): CreateTableBuilder<string, never> {
    return table.modifyEnd(kyselySql`without rowid`);
  },
});
