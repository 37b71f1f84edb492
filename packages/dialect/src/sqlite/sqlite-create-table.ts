import {
  conventionalName,
  DEFAULT_NAMING_CONVENTION,
  indexColumnSql,
  OperationError,
  UnsupportedOperationError,
  type CreateTableOp,
  type IndexSnapshot,
  type NamingConvention,
  type Statement,
  type TableSnapshot,
} from '@multidb/core';
import { indexKeySql } from '../shared/index-key-sql.js';
import { quoteIdentifier } from '../shared/quote-identifier.js';
import { referentialActions, sqliteColumnDefinition, type SqliteColumnOptions } from './sqlite-column-definition.js';
import { renderSqliteType } from './sqlite-type-map.js';

/**
 * The column of a table's primary key that CREATE TABLE writes `"id" INTEGER PRIMARY KEY DESC`:
 * the key's single column, sorted DESC, declared exactly `INTEGER`, in a rowid table. SQLite's
 * quirk makes that column-level key no rowid alias (it gets an index of its own), unlike a
 * table-level `PRIMARY KEY ("id" DESC)`, which is an alias whatever its order; introspection
 * reports only the former with `descending`.
 * @param t - the table.
 * @returns the column's name, or `undefined` when the key is written at table level.
 * @throws {@link UnsupportedOperationError} for such a key that is also AUTOINCREMENT (which
 *   needs a rowid alias).
 * @example
 * ```ts
 * sqliteDescendingKeyColumn(tableFromInput('t', [{ name: 'id', type: 'integer' }], { primaryKey: { columns: ['id'], descending: ['id'] } }, {})); // 'id'
 * ```
 */
export function sqliteDescendingKeyColumn(t: TableSnapshot): string | undefined {
  const pk = t.primaryKey;
  if (!pk || pk.columns.length !== 1 || t.withoutRowid || !pk.descending?.includes(pk.columns[0]!)) return undefined;
  const column = t.columns.find((c) => c.name === pk.columns[0]);
  if (!column || renderSqliteType(column.type, { strict: t.strict ?? false }).toUpperCase() !== 'INTEGER') return undefined;
  if (column.autoincrement) {
    throw new UnsupportedOperationError(
      'sqlite',
      `make the DESC primary key "${column.name}" of '${t.name}' AUTOINCREMENT`,
      'A DESC INTEGER PRIMARY KEY is not a rowid alias in SQLite, and AUTOINCREMENT needs one; leave descending out.',
    );
  }
  return column.name;
}

/**
 * A quoted, optionally schema-qualified name (on SQLite the schema is an attached database).
 * @example
 * ```ts
 * qualifiedName('Invoice');        // '"Invoice"'
 * qualifiedName('Invoice', 'aux'); // '"aux"."Invoice"'
 * ```
 */
export function qualifiedName(name: string, schema?: string): string {
  return schema === undefined ? quoteIdentifier(name) : `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}

/**
 * Compiles `CreateTable` for SQLite: one CREATE TABLE statement (columns, then table-level
 * PRIMARY KEY, FOREIGN KEY, UNIQUE and CHECK constraints, each with `CONSTRAINT "name"` when
 * named; `WITHOUT ROWID` and `STRICT` options), then one CREATE INDEX per index.
 *
 * The primary key is written on its column when exactly one column is flagged `primaryKey` and
 * the table declares no `primaryKey`; several flagged columns become one composite key. A single
 * autoincrement key column declared at table level is written `PRIMARY KEY ("id" AUTOINCREMENT)`.
 * Comments are ignored (SQLite has none).
 *
 * The naming rule: a column-level primary key is written `CONSTRAINT "<pk name>" PRIMARY KEY` and
 * a column-level unique `CONSTRAINT "<uq name>" UNIQUE`, named by the convention's `pk` and `uq`
 * templates (columns: that one column), so a later batch can drop them by name; a composite key
 * made of flagged columns takes the `pk` name too.
 *
 * @param op - the op.
 * @param convention - names column-level keys (default {@link DEFAULT_NAMING_CONVENTION}).
 * @param constraintTable - the table name the convention names constraints after (a batch
 *   rebuild creates the table under a temporary name; default: the table's name).
 * @throws {@link UnsupportedOperationError} for AUTOINCREMENT outside a single-column integer
 *   primary key, array types, a foreign key into another schema, or a `NULLS NOT DISTINCT` unique
 *   constraint.
 * @example
 * ```ts
 * compileSqliteCreateTable({ kind: 'CreateTable', table: tableFromInput('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true }], {}, {}) });
 * // [{ sql: 'CREATE TABLE "Genre" (\n  "GenreId" integer NOT NULL PRIMARY KEY\n)', parameters: [] }]
 * ```
 */
export function compileSqliteCreateTable(op: CreateTableOp, convention: NamingConvention = DEFAULT_NAMING_CONVENTION, constraintTable = op.table.name): Statement[] {
  const t = op.table;
  const named = (kind: 'pk' | 'uq', columns: readonly string[]) => conventionalName(convention, kind, { table: constraintTable, columns });
  const flagged = t.columns.filter((c) => c.primaryKey);
  const pkColumns = t.primaryKey?.columns ?? (flagged.length > 1 ? flagged.map((c) => c.name) : []);
  // A DESC key on one INTEGER column is written on the column: SQLite then keeps it out of the rowid, as introspection read it.
  const descKey = sqliteDescendingKeyColumn(t);
  const inlinePk = descKey ?? (!t.primaryKey && flagged.length === 1 ? flagged[0]!.name : undefined);
  const autoincrement = t.columns.filter((c) => c.autoincrement);
  const tableKey = pkColumns.length === 1 && descKey === undefined ? pkColumns[0] : undefined;
  // Options set field by field, not spread from conditional literals: this runs per column of
  // every CREATE TABLE, mostly before V8 optimizes it.
  const lines = t.columns.map((c) => {
    const names: { -readonly [K in keyof NonNullable<SqliteColumnOptions['names']>]: string } = {};
    const options: { -readonly [K in keyof SqliteColumnOptions]: SqliteColumnOptions[K] } = { strict: t.strict ?? false, names };
    if (c.name === descKey) {
      options.primaryKey = 'inline';
      options.descending = true;
      if (t.primaryKey?.name !== undefined) names.primaryKey = t.primaryKey.name;
    } else if (c.name === inlinePk) {
      options.primaryKey = 'inline';
      names.primaryKey = named('pk', [c.name]);
    } else if (c.name === tableKey) options.primaryKey = 'table';
    if (c.unique) names.unique = named('uq', [c.name]);
    if (c.references) names.foreignKey = conventionalName(convention, 'fk', { table: constraintTable, columns: [c.name], referredTable: c.references.table });
    return sqliteColumnDefinition(c, options);
  });
  if (pkColumns.length && descKey === undefined) {
    for (const name of pkColumns) {
      if (!t.columns.some((c) => c.name === name)) throw new OperationError(`The primary key of '${t.name}' names unknown column '${name}'.`);
    }
    const auto = tableKey !== undefined && autoincrement.some((c) => c.name === tableKey);
    const descending = t.primaryKey?.descending ?? [];
    const cols = pkColumns.map((c) => quoteIdentifier(c) + (descending.includes(c) ? ' DESC' : '') + (auto ? ' AUTOINCREMENT' : '')).join(', ');
    lines.push(`${constraintName(t.primaryKey ? t.primaryKey.name : named('pk', pkColumns))}PRIMARY KEY (${cols})`);
  }
  for (const fk of t.foreignKeys) {
    checkSameSchema(t, fk.referredSchema, fk.referredTable);
    lines.push(
      `${constraintName(fk.name)}FOREIGN KEY (${columnList(fk.columns)}) REFERENCES ${quoteIdentifier(fk.referredTable)} (${columnList(fk.referredColumns)})` +
        referentialActions(fk.onDelete, fk.onUpdate) +
        (fk.deferrable ? ` DEFERRABLE${fk.initiallyDeferred ? ' INITIALLY DEFERRED' : ''}` : ''),
    );
  }
  for (const u of t.uniqueConstraints) {
    if (u.nullsNotDistinct) {
      throw new UnsupportedOperationError('sqlite', `create the unique constraint ${u.name ? `'${u.name}' ` : ''}on '${t.name}' with NULLS NOT DISTINCT`, 'NULLS NOT DISTINCT is PostgreSQL only.');
    }
    lines.push(`${constraintName(u.name)}UNIQUE (${columnList(u.columns)})`);
  }
  // The index of a table-level UNIQUE (introspected with a key sorted DESC): written as it was, in
  // the CREATE TABLE (a downgrade re-creating a dropped table gives it back as SQLite had it).
  const inline = t.indexes.filter((ix) => ix.tableConstraint && ix.unique && ix.where === undefined && ix.columns.every((c) => indexColumnSql(c) === undefined));
  for (const ix of inline) {
    const cols = ix.columns.map((c) => indexKeySql(c, { dialect: 'sqlite', quote: quoteIdentifier, expression: (sql) => sql, nulls: false }, ix.name)).join(', ');
    lines.push(`${constraintName(ix.name)}UNIQUE (${cols})`);
  }
  for (const ck of t.checkConstraints) lines.push(`${constraintName(ck.name)}CHECK (${ck.expression})`);
  const options = [t.withoutRowid ? 'WITHOUT ROWID' : '', t.strict ? 'STRICT' : ''].filter(Boolean).join(', ');
  const create: Statement = {
    sql:
      `CREATE TABLE ${op.ifNotExists ? 'IF NOT EXISTS ' : ''}${qualifiedName(t.name, t.schema)} (\n  ${lines.join(',\n  ')}\n)` +
      (options ? ` ${options}` : ''),
    parameters: [],
  };
  return [create, ...t.indexes.filter((ix) => !inline.includes(ix)).map((ix) => compileSqliteCreateIndex(t.name, t.schema, ix, op.ifNotExists ?? false))];
}

/**
 * `CREATE [UNIQUE] INDEX [IF NOT EXISTS] "schema"."name" ON "table" (…) [WHERE …]`. Expression
 * entries (`{ sql }`) are written as given.
 * @throws {@link OperationError} for an index without columns; {@link UnsupportedOperationError}
 *   for an index `method` (SQLite has B-trees only).
 * @example
 * ```ts
 * compileSqliteCreateIndex('Track', undefined, { name: 'ix_Track_AlbumId', columns: ['AlbumId'], unique: false }, false);
 * // { sql: 'CREATE INDEX "ix_Track_AlbumId" ON "Track" ("AlbumId")', parameters: [] }
 * ```
 */
export function compileSqliteCreateIndex(table: string, schema: string | undefined, ix: IndexSnapshot, ifNotExists: boolean): Statement {
  if (ix.columns.length === 0) throw new OperationError(`Index '${ix.name}' on '${table}' has no columns.`);
  if (ix.method !== undefined) {
    throw new UnsupportedOperationError('sqlite', `create the ${ix.method} index '${ix.name}' on '${table}'`, 'SQLite has B-tree indexes only (full-text search is the FTS5 virtual table).');
  }
  if (ix.include?.length || ix.nullsNotDistinct) {
    throw new UnsupportedOperationError('sqlite', `create the index '${ix.name}' on '${table}' with ${ix.include?.length ? 'INCLUDE' : 'NULLS NOT DISTINCT'}`, 'INCLUDE and NULLS NOT DISTINCT are PostgreSQL only.');
  }
  const cols = ix.columns.map((c) => indexKeySql(c, { dialect: 'sqlite', quote: quoteIdentifier, expression: (sql) => sql, nulls: false }, ix.name)).join(', ');
  return {
    sql:
      `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${ifNotExists ? 'IF NOT EXISTS ' : ''}${qualifiedName(ix.name, schema)} ` +
      `ON ${quoteIdentifier(table)} (${cols})${ix.where ? ` WHERE ${ix.where}` : ''}`,
    parameters: [],
  };
}

function constraintName(name: string | undefined): string {
  return name ? `CONSTRAINT ${quoteIdentifier(name)} ` : '';
}

function columnList(columns: readonly string[]): string {
  return columns.map((c) => quoteIdentifier(c)).join(', ');
}

/**
 * SQLite foreign keys cannot point into another attached database.
 * @throws {@link UnsupportedOperationError} when `referredSchema` names a schema other than the table's.
 * @example
 * ```ts
 * checkSameSchema({ name: 'Invoice' }, 'main', 'Customer'); // fine
 * checkSameSchema({ name: 'Invoice' }, 'aux', 'Customer');  // throws
 * ```
 */
export function checkSameSchema(t: { name: string; schema?: string }, referredSchema: string | undefined, referredTable: string): void {
  if (referredSchema !== undefined && referredSchema !== (t.schema ?? 'main')) {
    throw new UnsupportedOperationError('sqlite', `reference "${referredSchema}"."${referredTable}" from "${t.name}"`, 'SQLite foreign keys must refer to a table in the same database.');
  }
}
