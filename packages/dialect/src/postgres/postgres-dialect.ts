import {
  conventionalName,
  DEFAULT_CAPABILITIES,
  dispatchOp,
  OperationError,
  type BatchAlterTableOp,
  type CompileContext,
  type Dialect,
  type DialectCapabilities,
  type Op,
  type OpTable,
  type Statement,
} from '@multidb/core';
import { PostgresAdapter, PostgresIntrospector as KyselyPostgresIntrospector, PostgresQueryCompiler } from 'kysely';
import { compileBulkInsert } from '../shared/compile-bulk-insert.js';
import { lazyOfflineKysely } from '../shared/offline-kysely.js';
import { quoteIdentifier } from '../shared/quote-identifier.js';
import { compilePostgresAlterColumn } from './postgres-alter-column.js';
import { postgresColumnDefinition, postgresCommentStatements, postgresQualifiedName } from './postgres-column-definition.js';
import { compilePostgresCreateIndex, compilePostgresCreateTable, postgresColumnList, postgresForeignKeyClause, postgresUniqueClause, refuseDescendingKey } from './postgres-create-table.js';
import { postgresLiteral } from './postgres-literal.js';
import { postgresComparator } from './postgres-comparator.js';
import { POSTGRES_OFFLINE_SQL } from './postgres-offline-sql.js';
import { postgresTypeSubstitutions } from './postgres-type-substitutions.js';
import { postgresUnknownTypes } from './postgres-unknown-types.js';

/**
 * PostgreSQL's capabilities: transactional DDL, 65,535 parameters, ALTER COLUMN and constraints;
 * names of at most 63 bytes (NAMEDATALEN - 1: a longer one is truncated).
 */
export const POSTGRES_CAPABILITIES: DialectCapabilities = Object.freeze({
  ...DEFAULT_CAPABILITIES,
  transactionalDdl: true,
  maxParameters: 65_535,
  alterColumn: true,
  alterConstraints: true,
  namedEnums: true,
  identityGeneration: true,
  identifierLimit: Object.freeze({ max: 63, unit: 'bytes', longer: 'truncated' }),
  enumLabelLimit: Object.freeze({ max: 63, unit: 'bytes', longer: 'refused' }),
});

/** Kysely without a connection, for compiling bulk inserts with Kysely's PostgreSQL compiler. */
const postgresCompiler = lazyOfflineKysely({
    createAdapter: () => new PostgresAdapter(),
    createQueryCompiler: () => new PostgresQueryCompiler(),
    createIntrospector: (db) => new KyselyPostgresIntrospector(db),
  });

const sql = (...texts: string[]): Statement[] => texts.map((text) => ({ sql: text, parameters: [] }));

function compilers(ctx: CompileContext): OpTable<Statement[]> {
  const named = (kind: 'pk' | 'uq', table: string, column: string) => conventionalName(ctx.namingConvention, kind, { table, columns: [column] });
  return {
    CreateTable: (op) => compilePostgresCreateTable(op, ctx.namingConvention),
    DropTable: (op) => sql(`DROP TABLE ${op.ifExists ? 'IF EXISTS ' : ''}${postgresQualifiedName(op.table, op.schema)}`),
    RenameTable: (op) => sql(`ALTER TABLE ${postgresQualifiedName(op.table, op.schema)} RENAME TO ${quoteIdentifier(op.newName)}`),
    AddColumn: (op) => [
      ...sql(
        `ALTER TABLE ${postgresQualifiedName(op.table, op.schema)} ADD COLUMN ` +
          postgresColumnDefinition(op.column, {
            primaryKey: op.column.primaryKey ?? false,
            ...(op.schema !== undefined ? { schema: op.schema } : {}),
            names: {
              ...(op.column.primaryKey ? { primaryKey: named('pk', op.table, op.column.name) } : {}),
              ...(op.column.unique ? { unique: named('uq', op.table, op.column.name) } : {}),
              ...(op.column.references
                ? { foreignKey: conventionalName(ctx.namingConvention, 'fk', { table: op.table, columns: [op.column.name], referredTable: op.column.references.table }) }
                : {}),
            },
          }),
      ),
      ...postgresCommentStatements(op.table, op.schema, [op.column]),
    ],
    DropColumn: (op) => sql(`ALTER TABLE ${postgresQualifiedName(op.table, op.schema)} DROP COLUMN ${quoteIdentifier(op.column)}`),
    AlterColumn: (op) => compilePostgresAlterColumn(op),
    RenameColumn: (op) =>
      sql(`ALTER TABLE ${postgresQualifiedName(op.table, op.schema)} RENAME COLUMN ${quoteIdentifier(op.column)} TO ${quoteIdentifier(op.newName)}`),
    CreateIndex: (op) => [compilePostgresCreateIndex(op.table, op.schema, op.index, op.ifNotExists ?? false, op.concurrently ?? false)],
    DropIndex: (op) => sql(`DROP INDEX ${op.concurrently ? 'CONCURRENTLY ' : ''}${op.ifExists ? 'IF EXISTS ' : ''}${postgresQualifiedName(op.name, op.schema)}`),
    // The index lives in its table's schema; the new name is not qualified.
    RenameIndex: (op) => sql(`ALTER INDEX ${postgresQualifiedName(op.name, op.schema)} RENAME TO ${quoteIdentifier(op.newName)}`),
    CreateUniqueConstraint: (op) => addConstraint(op, postgresUniqueClause(op)),
    CreateCheckConstraint: (op) => addConstraint(op, `CHECK (${op.expression})`),
    CreateForeignKey: (op) => addConstraint(op, postgresForeignKeyClause(op, op.schema)),
    CreatePrimaryKey: (op) => {
      refuseDescendingKey(op.table, op.descending);
      return addConstraint(op, `PRIMARY KEY (${postgresColumnList(op.columns)})`);
    },
    DropConstraint: (op) => sql(`ALTER TABLE ${postgresQualifiedName(op.table, op.schema)} DROP CONSTRAINT ${quoteIdentifier(op.name)}`),
    BatchAlterTable: (op) => compileBatch(op, ctx),
    Execute: (op) => [{ sql: op.sql, parameters: [...(op.parameters ?? [])] }],
    BulkInsert: (op) => compileBulkInsert(postgresCompiler(), op, POSTGRES_CAPABILITIES.maxParameters),
    CreateEnum: (op) => sql(`CREATE TYPE ${postgresQualifiedName(op.name, op.schema)} AS ENUM (${op.values.map(postgresLiteral).join(', ')})`),
    DropEnum: (op) => sql(`DROP TYPE ${postgresQualifiedName(op.name, op.schema)}`),
    // IF NOT EXISTS: the op is irreversible, so its downgrade leaves the member, and upgrading
    // again (after that downgrade) must not fail on it.
    AddEnumValue: (op) =>
      sql(
        `ALTER TYPE ${postgresQualifiedName(op.name, op.schema)} ADD VALUE IF NOT EXISTS ${postgresLiteral(op.value)}` +
          (op.before !== undefined ? ` BEFORE ${postgresLiteral(op.before)}` : op.after !== undefined ? ` AFTER ${postgresLiteral(op.after)}` : ''),
      ),
    AlterTableComment: (op) => sql(`COMMENT ON TABLE ${postgresQualifiedName(op.table, op.schema)} IS ${op.comment === null ? 'NULL' : postgresLiteral(op.comment)}`),
  };
}

/** Why PostgreSQL refuses an op in a transaction block: `CREATE`/`DROP INDEX CONCURRENTLY`, alone or in a batch. */
function concurrentIndexReason(op: Op): string | undefined {
  if (op.kind === 'BatchAlterTable') return op.ops.map(concurrentIndexReason).find((r) => r !== undefined);
  if ((op.kind === 'CreateIndex' || op.kind === 'DropIndex') && op.concurrently) {
    return `PostgreSQL refuses ${op.kind === 'CreateIndex' ? 'CREATE' : 'DROP'} INDEX CONCURRENTLY in a transaction block`;
  }
  return undefined;
}

function addConstraint(op: { table: string; schema?: string; name: string }, definition: string): Statement[] {
  return sql(`ALTER TABLE ${postgresQualifiedName(op.table, op.schema)} ADD CONSTRAINT ${quoteIdentifier(op.name)} ${definition}`);
}

/**
 * A batch block compiles to its inner ops' ALTERs, in order: PostgreSQL alters tables in place,
 * so `recreate` and `partialReordering` (SQLite's move-and-copy) do not apply.
 */
function compileBatch(op: BatchAlterTableOp, ctx: CompileContext): Statement[] {
  return op.ops.flatMap((inner) => {
    if (inner.table !== op.table || inner.schema !== op.schema) {
      throw new OperationError(`An op inside batchAlterTable(${JSON.stringify(op.table)}) names table '${inner.table}'; batch ops apply to the batch's table.`);
    }
    return dispatchOp(compilers(ctx), inner);
  });
}

/**
 * The pure PostgreSQL dialect: compiles op objects to PostgreSQL statements without a
 * connection (the same path serves online runs, SQL previews, exact-SQL tests and offline `--sql`).
 *
 * What each op compiles to (names double-quoted; an op's `schema` qualifies its table, `"s"."t"`):
 * - `CreateTable` → `CREATE TABLE` (identity columns, defaults, named PRIMARY KEY / FOREIGN KEY /
 *   UNIQUE / CHECK constraints), then `CREATE INDEX` per index, then `COMMENT ON TABLE/COLUMN`;
 * - `DropTable` → `DROP TABLE`; `RenameTable` → `ALTER TABLE … RENAME TO`;
 * - `AddColumn` → `ALTER TABLE … ADD COLUMN` (+ `COMMENT ON COLUMN`); `DropColumn` → `… DROP COLUMN`;
 * - `AlterColumn` → one statement per change (TYPE … USING, SET/DROP NOT NULL, SET/DROP DEFAULT,
 *   COMMENT, RENAME); `RenameColumn` → `… RENAME COLUMN`;
 * - `CreateIndex` → `CREATE [UNIQUE] INDEX [CONCURRENTLY] … [WHERE …]`; `DropIndex` → `DROP
 *   INDEX [CONCURRENTLY] [IF EXISTS] "s"."name"`; `RenameIndex` → `ALTER INDEX "s"."name" RENAME TO "new"`;
 * - `CreateUniqueConstraint` / `CreateCheckConstraint` / `CreateForeignKey` / `CreatePrimaryKey` →
 *   `ALTER TABLE … ADD CONSTRAINT`; `DropConstraint` → `ALTER TABLE … DROP CONSTRAINT`;
 * - `BatchAlterTable` → its inner ops' statements, in order;
 * - `Execute` → the statement as given (`$1`, `$2` placeholders);
 * - `BulkInsert` → multi-row `INSERT`s with bound parameters, at most 65,535 per statement.
 *
 * Unqualified names are left to the connection's `search_path` (the bind's `schema` first).
 *
 * `forbidsTransaction` names the ops PostgreSQL refuses inside a transaction block: an index
 * created or dropped `concurrently` (alone or inside a batch block). Core refuses them in a
 * revision that runs in a transaction; with `transaction = false` the connection sends each one
 * alone, outside any transaction (never joined to other statements in one query, which
 * PostgreSQL would run as one implicit transaction).
 *
 * @example
 * ```ts
 * postgresDialect.compile({ kind: 'RenameTable', table: 'Invoice', schema: 'sales', newName: 'Bill' }, ctx);
 * // [{ sql: 'ALTER TABLE "sales"."Invoice" RENAME TO "Bill"', parameters: [] }]
 * postgresDialect.inlineLiteral("O'Reilly"); // "'O''Reilly'"
 * ```
 */
export const postgresDialect: Dialect = Object.freeze({
  name: 'postgres',
  capabilities: POSTGRES_CAPABILITIES,
  compile(op: Op, ctx: CompileContext): Statement[] {
    return dispatchOp(compilers(ctx), op);
  },
  requiredSnapshots(_op: Op): readonly string[] {
    return [];
  },
  forbidsTransaction(op: Op): string | undefined {
    return concurrentIndexReason(op);
  },
  unknownTypes: postgresUnknownTypes,
  typeSubstitutions: postgresTypeSubstitutions,
  inlineLiteral(value: unknown): string {
    return postgresLiteral(value);
  },
  quoteIdentifier(name: string): string {
    return quoteIdentifier(name);
  },
  comparator: postgresComparator,
  queryBuilder: () => postgresCompiler(),
  offline: POSTGRES_OFFLINE_SQL,
});
