import { OperationError, UnsupportedOperationError, type ColumnSnapshot, type DefaultValue, type ReferentialAction } from '@multidb/core';
import { renderLiteral, SQLITE_LITERAL_STYLE } from '../shared/render-literal.js';
import { quoteIdentifier } from '../shared/quote-identifier.js';
import { renderSqliteType, sqliteAffinity } from './sqlite-type-map.js';
import { isWrappedInParentheses } from '../shared/sql-text.js';

/** Options of {@link sqliteColumnDefinition}. */
export interface SqliteColumnOptions {
  /** The table is STRICT (types are mapped to SQLite's five). */
  readonly strict?: boolean;
  /**
   * The column's part in the primary key. `'inline'`: write `PRIMARY KEY` (and `AUTOINCREMENT`)
   * on the column (CREATE TABLE does this for the single column flagged `primaryKey` when the
   * table declares no `primaryKey`). `'table'`: the column is the single column of a table-level
   * key, which carries `AUTOINCREMENT`. Omitted: not a key column (AUTOINCREMENT is refused).
   */
  readonly primaryKey?: 'inline' | 'table';
  /**
   * With `primaryKey: 'inline'`: write `PRIMARY KEY DESC` (on an `INTEGER` column SQLite then
   * keeps the key out of the rowid). Default false.
   */
  readonly descending?: boolean;
  /**
   * Names of the column-level constraints, written `CONSTRAINT "name" PRIMARY KEY` and
   * `CONSTRAINT "name" UNIQUE` (the naming rule: the convention's `pk` and `uq` names). Omitted:
   * the constraint is written unnamed.
   */
  readonly names?: { readonly primaryKey?: string; readonly unique?: string; readonly foreignKey?: string };
}

/**
 * Renders one column definition of CREATE TABLE or ADD COLUMN:
 * `"name" type [NOT NULL] [[CONSTRAINT "pk"] PRIMARY KEY [AUTOINCREMENT]] [[CONSTRAINT "uq"] UNIQUE] [DEFAULT …] [COLLATE …]
 * [GENERATED ALWAYS AS (…) STORED|VIRTUAL] [REFERENCES "t" ("c") [ON DELETE …] [ON UPDATE …]]`.
 *
 * SQLite has no column comments: `comment` is ignored. An autoincrement column is declared
 * `integer` (SQLite allows AUTOINCREMENT only on `INTEGER PRIMARY KEY`).
 * @param options - strict table; the column's part in the primary key.
 *
 * @param column - the column.
 * @returns the SQL text.
 * @throws {@link UnsupportedOperationError} for an array type, an `onUpdate` (MySQL only), or
 *   `autoincrement` on a column that is not an integer or not the table's single primary key column.
 * @example
 * ```ts
 * sqliteColumnDefinition(columnFromInput({ name: 'Currency', type: 'varchar(3)', nullable: false, default: 'USD' }));
 * // '"Currency" varchar(3) NOT NULL DEFAULT \'USD\''
 * ```
 */
export function sqliteColumnDefinition(column: ColumnSnapshot, options: SqliteColumnOptions = {}): string {
  if (column.onUpdate !== undefined) {
    throw new UnsupportedOperationError('sqlite', `give "${column.name}" ON UPDATE ${column.onUpdate}`, 'ON UPDATE on a column is MySQL/MariaDB only; use a trigger.');
  }
  const parts = [quoteIdentifier(column.name)];
  let type = renderSqliteType(column.type, options);
  if (column.autoincrement) {
    if (!options.primaryKey) {
      throw new UnsupportedOperationError('sqlite', `make "${column.name}" AUTOINCREMENT`, 'SQLite allows AUTOINCREMENT only on the single INTEGER PRIMARY KEY column of a table.');
    }
    if (sqliteAffinity(type) !== 'INTEGER') {
      throw new UnsupportedOperationError('sqlite', `make the ${type} column "${column.name}" AUTOINCREMENT`, 'SQLite allows AUTOINCREMENT only on an INTEGER PRIMARY KEY.');
    }
    type = options.strict ? 'INTEGER' : 'integer';
  }
  if (type) parts.push(type);
  if (!column.nullable) parts.push('NOT NULL');
  const named = (name: string | undefined, clause: string) => (name === undefined ? clause : `CONSTRAINT ${quoteIdentifier(name)} ${clause}`);
  if (options.primaryKey === 'inline') parts.push(named(options.names?.primaryKey, `PRIMARY KEY${options.descending ? ' DESC' : ''}${column.autoincrement ? ' AUTOINCREMENT' : ''}`));
  if (column.unique) parts.push(named(options.names?.unique, 'UNIQUE'));
  if (column.default !== undefined) parts.push(`DEFAULT ${sqliteDefault(column.default)}`);
  if (column.collation) parts.push(`COLLATE ${sqliteCollation(column.collation)}`);
  if (column.generated) {
    parts.push(`GENERATED ALWAYS AS (${column.generated.sql}) ${column.generated.stored ? 'STORED' : 'VIRTUAL'}`);
  }
  if (column.references) {
    const r = column.references;
    parts.push(named(options.names?.foreignKey, `REFERENCES ${quoteIdentifier(r.table)} (${quoteIdentifier(r.column)})${referentialActions(r.onDelete, r.onUpdate)}`));
  }
  return parts.join(' ');
}

/**
 * Renders a column default for SQLite. Literals are written inline (`'USD'`, `0`, booleans as
 * `1`/`0`, `NULL`); an `{ sql }` expression is written as is when it is a constant literal or
 * `CURRENT_TIMESTAMP`/`CURRENT_DATE`/`CURRENT_TIME`, and in parentheses otherwise (SQLite
 * requires them around expressions).
 *
 * @example
 * ```ts
 * sqliteDefault({ sql: "datetime('now')" }); // "(datetime('now'))"
 * sqliteDefault(true);                        // '1'
 * ```
 */
export function sqliteDefault(value: DefaultValue): string {
  if (value !== null && typeof value === 'object') {
    const text = value.sql.trim();
    if (!text) throw new OperationError('A default { sql } expression is empty.');
    if (isConstantSql(text) || /^CURRENT_(TIMESTAMP|DATE|TIME)$/i.test(text) || isWrapped(text)) return text;
    return `(${text})`;
  }
  return renderLiteral(value, SQLITE_LITERAL_STYLE);
}

/**
 * True when SQL text is a single constant literal: a number, a string, a blob, `NULL`, `TRUE` or
 * `FALSE` (what ALTER TABLE ADD COLUMN accepts as a default).
 * @example
 * ```ts
 * isConstantSql("'USD'");             // true
 * isConstantSql('CURRENT_TIMESTAMP'); // false
 * ```
 */
export function isConstantSql(text: string): boolean {
  const t = text.trim();
  return (
    /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(t) ||
    /^0x[0-9a-f]+$/i.test(t) ||
    /^'(?:[^']|'')*'$/.test(t) ||
    /^x'(?:[0-9a-f]{2})*'$/i.test(t) ||
    /^(NULL|TRUE|FALSE)$/i.test(t)
  );
}

/**
 * True when the whole text is one parenthesized group (quotes respected).
 * @example
 * ```ts
 * isWrapped('(a + b)');     // true
 * isWrapped('(a) + (b)');   // false
 * ```
 */
export function isWrapped(text: string): boolean {
  return isWrappedInParentheses(text);
}

/**
 * A collation name: bare when it is a plain word, quoted otherwise.
 * @example
 * ```ts
 * sqliteCollation('NOCASE'); // 'NOCASE'
 * sqliteCollation('my coll'); // '"my coll"'
 * ```
 */
export function sqliteCollation(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : quoteIdentifier(name);
}

/**
 * The referential actions of a foreign key as an SQL suffix; empty when neither is given.
 * @throws {@link OperationError} for an action that is not one of `ReferentialAction`.
 * @example
 * ```ts
 * referentialActions('cascade', 'set null'); // ' ON DELETE CASCADE ON UPDATE SET NULL'
 * ```
 */
export function referentialActions(onDelete?: ReferentialAction, onUpdate?: ReferentialAction): string {
  return (onDelete ? ` ON DELETE ${action(onDelete)}` : '') + (onUpdate ? ` ON UPDATE ${action(onUpdate)}` : '');
}

const ACTIONS: readonly ReferentialAction[] = ['cascade', 'set null', 'set default', 'restrict', 'no action'];

function action(value: ReferentialAction): string {
  const v = String(value).toLowerCase() as ReferentialAction;
  if (!ACTIONS.includes(v)) throw new OperationError(`Invalid referential action '${value}': use one of ${ACTIONS.join(', ')}.`);
  return v.toUpperCase();
}
