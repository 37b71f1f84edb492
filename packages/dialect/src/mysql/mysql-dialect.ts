import {
  conventionalName,
  DEFAULT_CAPABILITIES,
  dispatchOp,
  OperationError,
  UnsupportedOperationError,
  type AlterColumnOp,
  type BatchAlterTableOp,
  type BatchInnerOp,
  type ColumnSnapshot,
  type CompileContext,
  type Dialect,
  type DropConstraintOp,
  type DropIndexOp,
  type IndexSnapshot,
  type DialectCapabilities,
  type Op,
  type OpTable,
  type Statement,
  type TableSnapshot,
} from '@multidb/core';
import { MysqlAdapter, MysqlIntrospector as KyselyMysqlIntrospector, MysqlQueryCompiler } from 'kysely';
import { lazyOfflineKysely } from '../shared/offline-kysely.js';
import { quoteIdentifier } from '../shared/quote-identifier.js';
import { compileMysqlAlterColumn } from './mysql-alter-column.js';
import { compileMysqlBulkInsert } from './mysql-bulk-insert.js';
import { mysqlColumnDefinition, mysqlColumnList, mysqlForeignKey, mysqlName } from './mysql-column-definition.js';
import { compileMysqlCreateIndex, compileMysqlCreateTable, mysqlKeyList, mysqlUniqueClause } from './mysql-create-table.js';
import { compileMysqlDropForeignKey, keepForeignKeyIndexClauses, unknownIndexNote } from './mysql-foreign-key-index.js';
import { mysqlTypeSubstitutions } from './mysql-type-substitutions.js';
import { mysqlUnknownTypes } from './mysql-unknown-types.js';
import { mysqlOfflineSql } from './mysql-offline-sql.js';
import { mysqlInlineLiteral, toMysqlParameter } from './mysql-parameter.js';
import type { MysqlFlavour } from './mysql-url.js';
import { mysqlComparator } from './mysql-comparator.js';
import { mysqlUnsupportedIndex } from './mysql-unsupported-index.js';

/**
 * MySQL's capabilities: no transactional DDL (every DDL statement commits), 65,535 parameters,
 * ALTER COLUMN (MODIFY) and ALTER TABLE ADD/DROP constraints; InnoDB indexes every foreign key, and
 * refuses to change the type of a column a foreign key uses. A schema is a database of the server, so
 * a bind's `schema` and `versionTableSchema` are refused (the URL names the database). Names of at
 * most 64 characters (a longer one is refused).
 */
export const MYSQL_CAPABILITIES: DialectCapabilities = Object.freeze({
  ...DEFAULT_CAPABILITIES,
  transactionalDdl: false,
  maxParameters: 65_535,
  alterColumn: true,
  alterConstraints: true,
  foreignKeyIndexes: true,
  retypeForeignKeyColumns: false,
  schemas: false,
  identifierLimit: Object.freeze({ max: 64, unit: 'characters', longer: 'refused' }),
});

/** Kysely without a connection, for compiling bulk inserts with Kysely's MySQL compiler. */
const mysqlCompiler = lazyOfflineKysely({
    createAdapter: () => new MysqlAdapter(),
    createQueryCompiler: () => new MysqlQueryCompiler(),
    createIntrospector: (db) => new KyselyMysqlIntrospector(db),
  });

const sql = (text: string): Statement[] => [{ sql: text, parameters: [] }];

/** A dropConstraint of a foreign key (MySQL drops the index InnoDB made for it too: see {@link compileMysqlDropForeignKey}). */
function dropsForeignKey(op: Op | BatchInnerOp): op is DropConstraintOp {
  return op.kind === 'DropConstraint' && op.type === 'foreignkey';
}

/** A dropIndex, or a dropConstraint of a unique key (an index on MySQL): it may be a foreign key's last index. */
function dropsIndex(op: Op | BatchInnerOp): op is DropIndexOp | DropConstraintOp {
  return op.kind === 'DropIndex' || (op.kind === 'DropConstraint' && op.type === 'unique');
}

/** An alterColumn that MySQL must restate with MODIFY COLUMN (it needs the column's current shape). */
function restates(op: Op | BatchInnerOp): op is AlterColumnOp {
  return op.kind === 'AlterColumn' && (op.changes.type !== undefined || op.changes.nullable !== undefined || op.changes.comment !== undefined);
}

/**
 * The op each statement of `op` performs alone, one per statement (see `Dialect.statementEffects`):
 * an `alterColumn` that does not restate the column is its default change, then its rename; any
 * other op outside a batch is one statement.
 */
function statementOps(op: Op | BatchInnerOp): Op[] {
  if (op.kind !== 'AlterColumn') return [op];
  const alter: Op | BatchInnerOp = op; // (narrowed by `restates`, not `op`)
  if (restates(alter)) return [op];
  const { default: dflt, newName } = op.changes;
  return [
    ...(dflt !== undefined ? [{ ...op, changes: { default: dflt } }] : []),
    ...(newName !== undefined ? [{ kind: 'RenameColumn' as const, table: op.table, column: op.column, newName, ...(op.schema !== undefined ? { schema: op.schema } : {}) }] : []),
  ];
}

function compilers(ctx: CompileContext, flavour: MysqlFlavour, snapshotOverride?: Map<string, TableSnapshot>): OpTable<Statement[]> {
  const snapshot = (table: string) => snapshotOverride?.get(table) ?? ctx.snapshots.get(table);
  const alter = (op: { table: string; schema?: string }, clause: string) => sql(`ALTER TABLE ${mysqlName(op.table, op.schema)} ${clause}`);
  return {
    CreateTable: (op) => compileMysqlCreateTable(op, ctx.namingConvention, flavour),
    DropTable: (op) => sql(`DROP TABLE ${op.ifExists ? 'IF EXISTS ' : ''}${mysqlName(op.table, op.schema)}`),
    RenameTable: (op) => sql(`RENAME TABLE ${mysqlName(op.table, op.schema)} TO ${mysqlName(op.newName, op.schema)}`),
    AddColumn: (op) => {
      const c = op.column;
      const clauses = [`ADD COLUMN ${mysqlColumnDefinition(c, { flavour, primaryKey: c.primaryKey === true })}`];
      if (c.unique) {
        clauses.push(`ADD CONSTRAINT ${mysqlName(conventionalName(ctx.namingConvention, 'uq', { table: op.table, columns: [c.name] }))} UNIQUE ${mysqlColumnList([c.name])}`);
      }
      if (c.references) {
        const r = c.references;
        clauses.push(
          `ADD ${mysqlForeignKey({
            name: conventionalName(ctx.namingConvention, 'fk', { table: op.table, columns: [c.name], referredTable: r.table }),
            columns: [c.name],
            referredTable: r.table,
            ...(op.schema !== undefined ? { referredSchema: op.schema } : {}),
            referredColumns: [r.column],
            ...(r.onDelete ? { onDelete: r.onDelete } : {}),
            ...(r.onUpdate ? { onUpdate: r.onUpdate } : {}),
          })}`,
        );
      }
      return alter(op, clauses.join(', '));
    },
    DropColumn: (op) => alter(op, `DROP COLUMN ${mysqlName(op.column)}`),
    AlterColumn: (op) => compileMysqlAlterColumn(op, snapshot(op.table), flavour),
    RenameColumn: (op) => alter(op, `RENAME COLUMN ${mysqlName(op.column)} TO ${mysqlName(op.newName)}`),
    CreateIndex: (op) => [compileMysqlCreateIndex(op.table, op.schema, op.index, op.ifNotExists ?? false, flavour, op.concurrently ?? false)],
    DropIndex: (op) => {
      if (!op.table) {
        throw new OperationError(`dropIndex('${op.name}') on MySQL needs the index's table: op.dropIndex('${op.name}', { table: '…' }).`);
      }
      if (op.ifExists && flavour === 'mysql') {
        throw new UnsupportedOperationError('mysql', `drop the index '${op.name}' with IF EXISTS`, 'MySQL has no DROP INDEX IF EXISTS (MariaDB has); drop ifExists.');
      }
      const ifExists = op.ifExists ? 'IF EXISTS ' : '';
      const t = snapshot(op.table);
      const keep = keepForeignKeyIndexClauses(t, op.name, ctx.namingConvention);
      const noted = (statements: Statement[]) => (t ? statements : statements.map((s) => ({ ...s, note: unknownIndexNote(op.table!, op.schema, op.name) })));
      if (keep.length) return alter(op, [...keep, `DROP INDEX ${ifExists}${mysqlName(op.name)}`, ...(op.concurrently ? ['ALGORITHM=INPLACE, LOCK=NONE'] : [])].join(', '));
      // Online, as ALTER TABLE: MariaDB's DROP INDEX … ON takes no ALGORITHM/LOCK clause (MySQL's does).
      if (op.concurrently) return noted(alter(op, `DROP INDEX ${ifExists}${mysqlName(op.name)}, ALGORITHM=INPLACE, LOCK=NONE`));
      return noted(sql(`DROP INDEX ${ifExists}${mysqlName(op.name)} ON ${mysqlName(op.table, op.schema)}`));
    },
    // MySQL 5.7+, MariaDB 10.5.2+.
    RenameIndex: (op) => alter(op, `RENAME INDEX ${mysqlName(op.name)} TO ${mysqlName(op.newName)}`),
    CreateUniqueConstraint: (op) => alter(op, `ADD CONSTRAINT ${mysqlName(op.name)} ${mysqlUniqueClause(op.table, op)}`),
    CreateCheckConstraint: (op) => alter(op, `ADD CONSTRAINT ${mysqlName(op.name)} CHECK (${op.expression})`),
    // A referred table without a database is in the op's database (as on PostgreSQL, the same schema).
    CreateForeignKey: (op) => alter(op, `ADD ${mysqlForeignKey({ ...op, referredSchema: op.referredSchema ?? op.schema })}`),
    // MySQL names every primary key PRIMARY: the op's name is not written.
    CreatePrimaryKey: (op) => alter(op, `ADD PRIMARY KEY ${mysqlKeyList(op.columns, op.descending)}`),
    DropConstraint: (op) => {
      switch (op.type) {
        case 'unique': {
          const t = snapshot(op.table);
          const statements = alter(op, [...keepForeignKeyIndexClauses(t, op.name, ctx.namingConvention), `DROP INDEX ${mysqlName(op.name)}`].join(', '));
          return t ? statements : statements.map((s) => ({ ...s, note: unknownIndexNote(op.table, op.schema, op.name) }));
        }
        case 'foreignkey':
          return compileMysqlDropForeignKey(op, snapshot(op.table), ctx.namingConvention, flavour);
        case 'primary':
          return alter(op, 'DROP PRIMARY KEY');
        case 'check':
          return alter(op, `${flavour === 'mariadb' ? 'DROP CONSTRAINT' : 'DROP CHECK'} ${mysqlName(op.name)}`);
      }
    },
    BatchAlterTable: (op) => compileBatch(op, ctx, flavour),
    Execute: (op) => [{ sql: op.sql, parameters: (op.parameters ?? []).map(toMysqlParameter) }],
    BulkInsert: (op) => compileMysqlBulkInsert(mysqlCompiler(), op, MYSQL_CAPABILITIES.maxParameters),
    // MySQL/MariaDB have no enum objects: an enum column carries its members (ENUM('…')).
    CreateEnum: () => [],
    DropEnum: () => [],
    AddEnumValue: () => [],
    AlterTableComment: (op) => [{ sql: `ALTER TABLE ${mysqlName(op.table, op.schema)} COMMENT = ${mysqlInlineLiteral(op.comment ?? '')}`, parameters: [] }],
  };
}


/**
 * A batch block compiles to its inner ops' ALTER statements, in order: MySQL alters tables in
 * place, so `recreate` has no effect. The table's snapshot (when given) is kept current through
 * the block, so a later MODIFY COLUMN restates what earlier ops made.
 */
function compileBatch(op: BatchAlterTableOp, ctx: CompileContext, flavour: MysqlFlavour): Statement[] {
  const where = `batchAlterTable(${JSON.stringify(op.table)})`;
  let current = ctx.snapshots.get(op.table) ?? op.options.copyFrom;
  const out: Statement[] = [];
  for (const inner of op.ops) {
    if (inner.table !== op.table || inner.schema !== op.schema) {
      throw new OperationError(`An op inside ${where} names table '${inner.table}'; batch ops apply to the batch's table.`);
    }
    const override = current ? new Map([[op.table, current]]) : undefined;
    out.push(...dispatchOp(compilers(ctx, flavour, override), inner));
    if (current) current = applyToSnapshot(current, inner);
  }
  return out;
}

/** The snapshot after a column op of a batch (other ops leave the columns as they are). */
function applyToSnapshot(t: TableSnapshot, op: BatchInnerOp): TableSnapshot {
  const columns = (f: (cols: readonly ColumnSnapshot[]) => ColumnSnapshot[]): TableSnapshot => ({ ...t, columns: f(t.columns) });
  switch (op.kind) {
    case 'AddColumn':
      return columns((cols) => [...cols, op.column]);
    case 'DropColumn':
      return columns((cols) => cols.filter((c) => c.name !== op.column));
    case 'RenameColumn':
      return columns((cols) => cols.map((c) => (c.name === op.column ? { ...c, name: op.newName } : c)));
    case 'AlterColumn':
      return columns((cols) =>
        cols.map((c) => {
          if (c.name !== op.column) return c;
          const { newName, default: dflt, comment, onUpdate, collation, identity: _identity, ...rest } = op.changes;
          const next: { -readonly [K in keyof ColumnSnapshot]: ColumnSnapshot[K] } = { ...c, ...rest, name: newName ?? c.name };
          if (dflt !== undefined) {
            if (dflt === null) delete next.default;
            else next.default = dflt;
          }
          if (comment !== undefined) {
            if (comment === null) delete next.comment;
            else next.comment = comment;
          }
          if (onUpdate !== undefined) {
            if (onUpdate === null) delete next.onUpdate;
            else next.onUpdate = onUpdate;
          }
          if (collation !== undefined) {
            if (collation === null) delete next.collation;
            else next.collation = collation;
          }
          return next;
        }),
      );
    default:
      return t;
  }
}

const dialects = new Map<MysqlFlavour, Dialect>();

/**
 * The pure MySQL dialect of a flavour: compiles op objects to MySQL/MariaDB statements without
 * a connection (online runs, SQL previews, exact-SQL tests and offline `--sql` share it).
 * The flavours differ where the servers do: dropping a CHECK constraint (`DROP CHECK` on MySQL,
 * `DROP CONSTRAINT` on MariaDB), literal defaults of TEXT/BLOB/JSON columns (parenthesized on
 * MySQL), `CREATE INDEX IF NOT EXISTS` (MariaDB only) and expression index keys (MySQL only:
 * `unsupportedIndex` says why MariaDB cannot have one, and its compile refuses it).
 *
 * What each op compiles to:
 * - `CreateTable` → one `CREATE TABLE … ENGINE=InnoDB DEFAULT CHARSET=utf8mb4` with keys, foreign
 *   keys, checks, indexes and comments; `DropTable` → `DROP TABLE`; `RenameTable` → `RENAME TABLE`;
 * - `AddColumn` → `ALTER TABLE … ADD COLUMN` (plus `ADD CONSTRAINT … UNIQUE` for a `unique`
 *   column and `ADD CONSTRAINT … FOREIGN KEY` for a column `references`); `DropColumn` → `DROP COLUMN`; `RenameColumn` → `RENAME COLUMN` (MySQL 8.0+,
 *   MariaDB 10.5+); `AlterColumn` → `ALTER COLUMN … SET/DROP DEFAULT`, `RENAME COLUMN`, or
 *   `MODIFY`/`CHANGE COLUMN` restating the column (see {@link compileMysqlAlterColumn});
 * - `CreateIndex` → `CREATE [UNIQUE] INDEX` (`concurrently`: `… ALGORITHM=INPLACE LOCK=NONE`);
 *   `DropIndex` → `DROP INDEX [IF EXISTS] … ON table` (the op must name its table; `IF EXISTS`: MariaDB only; `concurrently`: `ALTER
 *   TABLE … DROP INDEX …, ALGORITHM=INPLACE, LOCK=NONE`); `RenameIndex` → `ALTER TABLE … RENAME INDEX … TO …` (MySQL 5.7+, MariaDB
 *   10.5.2+);
 * - constraints → `ALTER TABLE … ADD CONSTRAINT …` / `ADD PRIMARY KEY`; `DropConstraint` by type:
 *   `DROP INDEX` (unique), `DROP FOREIGN KEY` (with `DROP INDEX` of the index InnoDB made for the
 *   key, so that dropping a key leaves the table as it was before the key; offline, for a table the
 *   script did not make, the index named as the key is dropped if there is one: see
 *   {@link compileMysqlDropForeignKey}), `DROP PRIMARY KEY`, `DROP CHECK`/`DROP CONSTRAINT`;
 * - `BatchAlterTable` → its inner ops' ALTERs, in order; `Execute` → the statement as given;
 *   `BulkInsert` → multi-row INSERTs with bound parameters (≤ 65,535 each, about 2 MiB at most).
 *
 * `statementEffects` gives, for an op of several statements (a batch block, an `alterColumn` that
 * changes a default and renames), the op each statement performs alone, so a stopped run resumes
 * at the next statement.
 *
 * `requiredSnapshots` names the table of an `AlterColumn` that restates the column, so online the
 * column's current definition (default, comment, collation) is kept, the table of a dropped
 * foreign key (to find the index InnoDB made for it), and the table of a dropped index or unique
 * key (to make a foreign key that it was the last index of an index of its own first).
 *
 * @param flavour - `'mysql'` or `'mariadb'`.
 * @returns the frozen dialect (one instance per flavour).
 * @example
 * ```ts
 * const dialect = createMysqlDialect('mariadb');
 * dialect.compile({ kind: 'DropConstraint', table: 'Invoice', name: 'ck_total', type: 'check' }, ctx);
 * // [{ sql: 'ALTER TABLE `Invoice` DROP CONSTRAINT `ck_total`', parameters: [] }]
 * ```
 */
export function createMysqlDialect(flavour: MysqlFlavour): Dialect {
  let dialect = dialects.get(flavour);
  if (!dialect) {
    dialect = Object.freeze({
      name: 'mysql',
      flavour,
      capabilities: MYSQL_CAPABILITIES,
      compile(op: Op, ctx: CompileContext): Statement[] {
        return dispatchOp(compilers(ctx, flavour), op);
      },
      statementEffects(op: Op): readonly Op[] {
        return op.kind === 'BatchAlterTable' ? op.ops.flatMap(statementOps) : statementOps(op);
      },
      requiredSnapshots(op: Op): readonly string[] {
        if (restates(op) || dropsForeignKey(op)) return [op.table];
        if (dropsIndex(op) && op.table) return [op.table];
        if (op.kind === 'BatchAlterTable' && !op.options.copyFrom && op.ops.some((inner) => restates(inner) || dropsForeignKey(inner) || dropsIndex(inner))) return [op.table];
        return [];
      },
      unknownTypes: mysqlUnknownTypes(flavour),
      typeSubstitutions: mysqlTypeSubstitutions(flavour),
      unsupportedIndex(index: IndexSnapshot): string | undefined {
        return mysqlUnsupportedIndex(flavour, index);
      },
      inlineLiteral(value: unknown): string {
        return mysqlInlineLiteral(value);
      },
      quoteIdentifier(name: string): string {
        return quoteIdentifier(name, '`');
      },
      comparator: mysqlComparator,
      queryBuilder: () => mysqlCompiler(),
      offline: mysqlOfflineSql(flavour),
    });
    dialects.set(flavour, dialect);
  }
  return dialect;
}

/** The MySQL flavour of the dialect ({@link createMysqlDialect}`('mysql')`). */
export const mysqlDialect: Dialect = createMysqlDialect('mysql');

/** The MariaDB flavour of the dialect ({@link createMysqlDialect}`('mariadb')`). */
export const mariadbDialect: Dialect = createMysqlDialect('mariadb');
