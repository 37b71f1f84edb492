import {
  conventionalName,
  OperationError,
  UnsupportedOperationError,
  type CreateTableOp,
  type IndexSnapshot,
  type NamingConvention,
  type Statement,
  type UniqueConstraintSnapshot,
} from '@multidb/core';
import { indexKeySql } from '../shared/index-key-sql.js';
import { mysqlColumnDefinition, mysqlColumnList, mysqlForeignKey, mysqlName } from './mysql-column-definition.js';
import { mysqlInlineLiteral } from './mysql-parameter.js';
import type { MysqlFlavour } from './mysql-url.js';
import { mysqlUnsupportedIndex } from './mysql-unsupported-index.js';

/** Table options every created table gets: InnoDB (foreign keys, transactions) and utf8mb4. */
export const MYSQL_TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4';

/**
 * Compiles `CreateTable` for MySQL/MariaDB into one CREATE TABLE statement: columns, then
 * `PRIMARY KEY`, `FOREIGN KEY` (table-level ones and, because MySQL ignores column-level
 * REFERENCES, one per column `references`, named by the `fk` naming convention), `UNIQUE`,
 * `CHECK` and `INDEX` clauses (a column-level `unique` as `CONSTRAINT <uq name> UNIQUE (…)`, named
 * by the convention), then `ENGINE=InnoDB DEFAULT CHARSET=utf8mb4` and the table
 * comment. Indexes are declared inside the statement, so the table and its indexes appear in one
 * step (MySQL cannot roll DDL back).
 *
 * The primary key goes on its column when exactly one column is flagged `primaryKey` and the
 * table declares no `primaryKey`; otherwise it is a table-level `PRIMARY KEY (…)`. MySQL names
 * every primary key `PRIMARY`: a primary key name is not written. Key columns are NOT NULL.
 *
 * @param op - the op.
 * @param convention - names the foreign keys of column-level `references`.
 * @param flavour - `'mysql' | 'mariadb'`.
 * @throws {@link UnsupportedOperationError} for a partial index (`where`), an expression index on
 *   MariaDB, array types,
 *   `varchar` without length or a `NULLS NOT DISTINCT` unique constraint; {@link OperationError}
 *   for a key naming an unknown column.
 * @example
 * ```ts
 * compileMysqlCreateTable({ kind: 'CreateTable', table: tableFromInput('Genre', [{ name: 'GenreId', type: 'integer', primaryKey: true }], {}, {}) }, {}, 'mysql');
 * // [{ sql: 'CREATE TABLE `Genre` (\n  `GenreId` int NOT NULL PRIMARY KEY\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4', parameters: [] }]
 * ```
 */
export function compileMysqlCreateTable(op: CreateTableOp, convention: NamingConvention, flavour: MysqlFlavour): Statement[] {
  const t = op.table;
  const flagged = t.columns.filter((c) => c.primaryKey);
  const pkColumns = t.primaryKey?.columns ?? (flagged.length > 1 ? flagged.map((c) => c.name) : []);
  const inlinePk = !t.primaryKey && flagged.length === 1 ? flagged[0]!.name : undefined;
  for (const name of pkColumns) {
    if (!t.columns.some((c) => c.name === name)) throw new OperationError(`The primary key of '${t.name}' names unknown column '${name}'.`);
  }
  const lines = t.columns.map((c) =>
    mysqlColumnDefinition(c, { flavour, primaryKey: c.name === inlinePk, inPrimaryKey: pkColumns.includes(c.name) }),
  );
  if (pkColumns.length) lines.push(`PRIMARY KEY ${mysqlKeyList(pkColumns, t.primaryKey?.descending)}`);
  for (const c of t.columns) {
    if (!c.references) continue;
    const r = c.references;
    lines.push(
      mysqlForeignKey({
        name: conventionalName(convention, 'fk', { table: t.name, columns: [c.name], referredTable: r.table }),
        columns: [c.name],
        referredTable: r.table,
        ...(t.schema !== undefined ? { referredSchema: t.schema } : {}),
        referredColumns: [r.column],
        ...(r.onDelete ? { onDelete: r.onDelete } : {}),
        ...(r.onUpdate ? { onUpdate: r.onUpdate } : {}),
      }),
    );
  }
  // A referred table without a database is in the new table's database.
  for (const fk of t.foreignKeys) lines.push(mysqlForeignKey({ ...fk, referredSchema: fk.referredSchema ?? t.schema }));
  // The naming rule: a column-level UNIQUE is named by the `uq` convention, not after its column.
  for (const c of t.columns) {
    if (c.unique) lines.push(`CONSTRAINT ${mysqlName(conventionalName(convention, 'uq', { table: t.name, columns: [c.name] }))} UNIQUE ${mysqlColumnList([c.name])}`);
  }
  for (const u of t.uniqueConstraints) lines.push(`${constraintName(u.name)}${mysqlUniqueClause(t.name, u)}`);
  for (const ck of t.checkConstraints) lines.push(`${constraintName(ck.name)}CHECK (${ck.expression})`);
  for (const ix of t.indexes) lines.push(`${indexKind(t.name, ix)} ${mysqlName(ix.name)} ${indexParts(t.name, ix, flavour)}`);
  const comment = t.comment ? ` COMMENT=${mysqlInlineLiteral(t.comment)}` : '';
  return [
    {
      sql:
        `CREATE TABLE ${op.ifNotExists ? 'IF NOT EXISTS ' : ''}${mysqlName(t.name, t.schema)} (\n  ${lines.join(',\n  ')}\n) ` +
        MYSQL_TABLE_OPTIONS +
        comment,
      parameters: [],
    },
  ];
}

/**
 * `CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX [IF NOT EXISTS] `name` ON `table` (…) [ALGORITHM=INPLACE
 * LOCK=NONE]`. Expression entries (`{ sql }`) are written as given: a prefix part `` `Name`(10) ``
 * or, on MySQL 8.0.13+, a functional part `(lower(`Name`))`. `method: 'fulltext' | 'spatial'`
 * makes a FULLTEXT or SPATIAL index. `concurrently` (default `false`) adds `ALGORITHM=INPLACE
 * LOCK=NONE`: built online, or refused by the server where it would lock writes.
 *
 * @param table - the indexed table.
 * @param schema - its database, if not the connection's.
 * @param ix - the index.
 * @param ifNotExists - MariaDB only.
 * @param flavour - `'mysql' | 'mariadb'`.
 * @throws {@link UnsupportedOperationError} for a partial index (`where`), an expression index on
 *   MariaDB (see `mysqlUnsupportedIndex`), a method other than
 *   fulltext/spatial (or a unique one), or `ifNotExists` on MySQL (which has no `CREATE INDEX IF
 *   NOT EXISTS`); {@link OperationError} for no columns.
 * @example
 * ```ts
 * compileMysqlCreateIndex('Track', undefined, { name: 'ix_Track_AlbumId', columns: ['AlbumId'], unique: false }, false, 'mysql');
 * // { sql: 'CREATE INDEX `ix_Track_AlbumId` ON `Track` (`AlbumId`)', parameters: [] }
 * ```
 */
export function compileMysqlCreateIndex(
  table: string,
  schema: string | undefined,
  ix: IndexSnapshot,
  ifNotExists: boolean,
  flavour: MysqlFlavour,
  concurrently = false,
): Statement {
  if (ifNotExists && flavour === 'mysql') {
    throw new UnsupportedOperationError('mysql', `create the index '${ix.name}' with IF NOT EXISTS`, 'MySQL has no CREATE INDEX IF NOT EXISTS (MariaDB has); drop ifNotExists.');
  }
  return {
    sql:
      `CREATE ${indexKind(table, ix)} ${ifNotExists ? 'IF NOT EXISTS ' : ''}${mysqlName(ix.name)} ON ${mysqlName(table, schema)} ${indexParts(table, ix, flavour)}` +
      // Online: InnoDB builds it in place while writes go on, or the server refuses the statement
      // (error 1846, e.g. for a FULLTEXT or SPATIAL index) rather than lock the table. CREATE INDEX
      // takes the two options without a comma (MariaDB refuses `ALGORITHM=INPLACE, LOCK=NONE` there).
      (concurrently ? ' ALGORITHM=INPLACE LOCK=NONE' : ''),
    parameters: [],
  };
}

/** `INDEX`, `UNIQUE INDEX`, `FULLTEXT INDEX` or `SPATIAL INDEX`, by the index's `unique` and `method`. */
function indexKind(table: string, ix: IndexSnapshot): string {
  const method = ix.method?.toLowerCase();
  if (method === undefined || method === 'btree') return ix.unique ? 'UNIQUE INDEX' : 'INDEX';
  if ((method === 'fulltext' || method === 'spatial') && !ix.unique) return `${method.toUpperCase()} INDEX`;
  throw new UnsupportedOperationError(
    'mysql',
    `create the ${ix.unique ? 'unique ' : ''}${ix.method} index '${ix.name}' on '${table}'`,
    'MySQL and MariaDB index methods are fulltext and spatial (never unique); leave method out for a B-tree.',
  );
}

/**
 * A primary key's column list, with `DESC` after the columns sorted so (MySQL 8, MariaDB 10.8+).
 * @param columns - the key's columns.
 * @param descending - those of them sorted `DESC`. Omitted: none.
 * @example
 * ```ts
 * mysqlKeyList(['Sensor', 'TakenAt'], ['TakenAt']); // '(`Sensor`, `TakenAt` DESC)'
 * ```
 */
export function mysqlKeyList(columns: readonly string[], descending: readonly string[] = []): string {
  return `(${columns.map((c) => mysqlName(c) + (descending.includes(c) ? ' DESC' : '')).join(', ')})`;
}

/**
 * `UNIQUE (\`a\`, \`b\`)`: a unique constraint's clause, after its `CONSTRAINT \`name\``.
 * @param table - the table, for the error.
 * @param unique - the constraint.
 * @throws {@link UnsupportedOperationError} for `nullsNotDistinct` (PostgreSQL only).
 * @example
 * ```ts
 * mysqlUniqueClause('Customer', { columns: ['Email'] }); // 'UNIQUE (`Email`)'
 * ```
 */
export function mysqlUniqueClause(table: string, unique: UniqueConstraintSnapshot): string {
  if (unique.nullsNotDistinct) {
    throw new UnsupportedOperationError('mysql', `create the unique constraint ${unique.name ? `'${unique.name}' ` : ''}on '${table}' with NULLS NOT DISTINCT`, 'NULLS NOT DISTINCT is PostgreSQL only.');
  }
  return `UNIQUE ${mysqlColumnList(unique.columns)}`;
}

function indexParts(table: string, ix: IndexSnapshot, flavour: MysqlFlavour): string {
  const unsupported = mysqlUnsupportedIndex(flavour, ix);
  if (unsupported !== undefined) throw new UnsupportedOperationError('mysql', `create the expression index '${ix.name}' on '${table}'`, unsupported);
  if (ix.include?.length || ix.nullsNotDistinct) {
    throw new UnsupportedOperationError('mysql', `create the index '${ix.name}' on '${table}' with ${ix.include?.length ? 'INCLUDE' : 'NULLS NOT DISTINCT'}`, 'INCLUDE and NULLS NOT DISTINCT are PostgreSQL only.');
  }
  if (ix.where !== undefined) {
    throw new UnsupportedOperationError('mysql', `create the partial index '${ix.name}' on '${table}' (WHERE ${ix.where})`, 'MySQL and MariaDB have no partial indexes.');
  }
  if (ix.columns.length === 0) throw new OperationError(`Index '${ix.name}' on '${table}' has no columns.`);
  return `(${ix.columns.map((c) => indexKeySql(c, { dialect: 'mysql', quote: (n) => mysqlName(n), expression: (sql) => sql, nulls: false }, ix.name)).join(', ')})`;
}

function constraintName(name: string | undefined): string {
  return name ? `CONSTRAINT ${mysqlName(name)} ` : '';
}
