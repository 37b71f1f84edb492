import { OperationError, UnsupportedOperationError, type ColumnSnapshot, type DefaultValue, type ReferentialAction } from '@multidb/core';
import { quoteIdentifier } from '../shared/quote-identifier.js';
import { mysqlInlineLiteral } from './mysql-parameter.js';
import { isMysqlConstant, isMysqlWrapped } from './mysql-sql-text.js';
import { impliesAutoIncrement, isLobType, renderMysqlType } from './mysql-type-map.js';
import type { MysqlFlavour } from './mysql-url.js';

/**
 * A backtick-quoted name, qualified by its database when `schema` is given (on MySQL a schema is
 * a database).
 * @example
 * ```ts
 * mysqlName('Invoice');          // '`Invoice`'
 * mysqlName('Invoice', 'sales'); // '`sales`.`Invoice`'
 * mysqlName('a`b');              // '`a``b`'
 * ```
 */
export function mysqlName(name: string, schema?: string): string {
  return schema === undefined ? quoteIdentifier(name, '`') : `${quoteIdentifier(schema, '`')}.${quoteIdentifier(name, '`')}`;
}

/**
 * A parenthesized, backtick-quoted column list.
 * @example
 * ```ts
 * mysqlColumnList(['a', 'b']); // '(`a`, `b`)'
 * ```
 */
export function mysqlColumnList(columns: readonly string[]): string {
  return `(${columns.map((c) => mysqlName(c)).join(', ')})`;
}

/** Options of {@link mysqlColumnDefinition}. */
export interface MysqlColumnOptions {
  /**
   * `'mysql'` or `'mariadb'`: MySQL writes literal defaults of TEXT, BLOB and JSON columns in
   * parentheses.
   */
  readonly flavour: MysqlFlavour;
  /** Write `PRIMARY KEY` on the column (a single-column key declared on the column). */
  readonly primaryKey?: boolean;
  /** The column is part of the table's primary key, so it is written NOT NULL whatever `nullable` says. */
  readonly inPrimaryKey?: boolean;
}

/**
 * Renders one column definition of CREATE TABLE, ADD COLUMN or MODIFY/CHANGE COLUMN:
 * `` `name` type [COLLATE c] [GENERATED ALWAYS AS (…) STORED|VIRTUAL] NULL|NOT NULL [DEFAULT …]
 * [ON UPDATE …] [AUTO_INCREMENT] [PRIMARY KEY] [COMMENT '…'] ``.
 *
 * Nullability is always written (`NULL` or `NOT NULL`), so a restated column never changes it by
 * accident (except on a MariaDB generated column, which takes neither). A column-level `references` is not written here: MySQL ignores column-level
 * REFERENCES, so callers add a table-level `FOREIGN KEY` (see {@link mysqlForeignKey}). Nor is a
 * column-level `unique`: MySQL would name its index after the column, so callers add
 * `CONSTRAINT <uq name> UNIQUE (…)` named by the convention (the naming rule).
 * `serial`/`bigserial` types imply AUTO_INCREMENT. `onUpdate` is written as given
 * (`ON UPDATE CURRENT_TIMESTAMP`).
 *
 * @param column - the column.
 * @param options - flavour; whether the column carries or belongs to the primary key.
 * @returns the SQL text.
 * @throws {@link UnsupportedOperationError} for array types or `varchar` without a length;
 *   {@link OperationError} for an empty `{ sql }` default.
 * @example
 * ```ts
 * mysqlColumnDefinition(columnFromInput({ name: 'Currency', type: 'varchar(3)', nullable: false, default: 'USD' }), { flavour: 'mysql' });
 * // "`Currency` varchar(3) NOT NULL DEFAULT 'USD'"
 * ```
 */
export function mysqlColumnDefinition(column: ColumnSnapshot, options: MysqlColumnOptions): string {
  const type = renderMysqlType(column.type);
  const parts = [mysqlName(column.name), type];
  if (column.collation) parts.push(`COLLATE ${mysqlCollation(column.collation)}`);
  if (column.generated) parts.push(`GENERATED ALWAYS AS (${column.generated.sql}) ${column.generated.stored ? 'STORED' : 'VIRTUAL'}`);
  const notNull = !column.nullable || options.inPrimaryKey === true || options.primaryKey === true;
  // MariaDB accepts neither NULL nor NOT NULL on a generated column (MySQL takes both).
  if (!(column.generated && options.flavour === 'mariadb')) parts.push(notNull ? 'NOT NULL' : 'NULL');
  const autoIncrement = !!column.autoincrement || impliesAutoIncrement(column.type);
  if (column.default !== undefined && !column.generated && !(column.default === null && notNull)) {
    parts.push(`DEFAULT ${mysqlDefault(column.default, type, options.flavour)}`);
  }
  if (column.onUpdate !== undefined && !column.generated) parts.push(`ON UPDATE ${column.onUpdate.trim()}`);
  if (autoIncrement) parts.push('AUTO_INCREMENT');
  if (options.primaryKey) parts.push('PRIMARY KEY');
  if (column.comment) parts.push(`COMMENT ${mysqlInlineLiteral(column.comment)}`);
  return parts.join(' ');
}

/** `CURRENT_TIMESTAMP` and its synonyms, allowed as a default without parentheses. */
const NOW = /^(CURRENT_TIMESTAMP|NOW|LOCALTIME|LOCALTIMESTAMP)(\s*\(\s*\d*\s*\))?$/i;

/**
 * Renders a column default for MySQL/MariaDB. Literals are written inline (`'USD'` with `'` and
 * `\` escaped, `0`, booleans as `1`/`0`, `NULL`); an `{ sql }` expression is written as is when
 * it is a constant or `CURRENT_TIMESTAMP`/`NOW()` (with an optional precision), and in
 * parentheses otherwise (MySQL 8.0.13+ and MariaDB 10.2+ take expression defaults). On MySQL a
 * literal default of a TEXT, BLOB or JSON column is parenthesized too, as MySQL requires.
 *
 * @param value - the default.
 * @param renderedType - the column's MySQL type (decides the TEXT/BLOB rule).
 * @param flavour - `'mysql' | 'mariadb'`.
 * @throws {@link OperationError} for an empty `{ sql }`; `OperationError` for a value with no literal.
 * @example
 * ```ts
 * mysqlDefault({ sql: 'uuid()' }, 'char(36)', 'mysql'); // '(uuid())'
 * mysqlDefault('none', 'text', 'mysql');                // "('none')"
 * mysqlDefault(true, 'tinyint(1)', 'mariadb');          // '1'
 * ```
 */
export function mysqlDefault(value: DefaultValue, renderedType: string, flavour: MysqlFlavour): string {
  const lob = flavour === 'mysql' && isLobType(renderedType);
  if (value !== null && typeof value === 'object') {
    const text = value.sql.trim();
    if (!text) throw new OperationError('A default { sql } expression is empty.');
    if (isMysqlWrapped(text)) return text;
    if (NOW.test(text) || (isMysqlConstant(text) && !lob)) return text;
    return `(${text})`;
  }
  const literal = mysqlInlineLiteral(value);
  return lob && value !== null ? `(${literal})` : literal;
}

/**
 * A collation name: bare when it is a plain word, backtick-quoted otherwise.
 * @example
 * ```ts
 * mysqlCollation('utf8mb4_bin'); // 'utf8mb4_bin'
 * ```
 */
export function mysqlCollation(name: string): string {
  return /^[A-Za-z0-9_]+$/.test(name) ? name : mysqlName(name);
}

const ACTIONS: readonly ReferentialAction[] = ['cascade', 'set null', 'set default', 'restrict', 'no action'];

/**
 * The referential actions of a foreign key as an SQL suffix; empty when neither is given.
 * @throws {@link OperationError} for an action that is not one of `ReferentialAction`.
 * @example
 * ```ts
 * mysqlReferentialActions('cascade', 'set null'); // ' ON DELETE CASCADE ON UPDATE SET NULL'
 * ```
 */
export function mysqlReferentialActions(onDelete?: ReferentialAction, onUpdate?: ReferentialAction): string {
  return (onDelete ? ` ON DELETE ${action(onDelete)}` : '') + (onUpdate ? ` ON UPDATE ${action(onUpdate)}` : '');
}

function action(value: ReferentialAction): string {
  const v = String(value).toLowerCase() as ReferentialAction;
  if (!ACTIONS.includes(v)) throw new OperationError(`Invalid referential action '${value}': use one of ${ACTIONS.join(', ')}.`);
  return v.toUpperCase();
}

/** A foreign key's parts, as {@link mysqlForeignKey} takes them. */
export interface MysqlForeignKeyParts {
  /** The constraint's name; omitted: unnamed (MySQL names it). */
  readonly name?: string;
  /** The referencing columns. */
  readonly columns: readonly string[];
  /** The referenced table. */
  readonly referredTable: string;
  /** The referenced table's database. Omitted: the current one. */
  readonly referredSchema?: string;
  /** The referenced columns, as many as `columns`. */
  readonly referredColumns: readonly string[];
  /** `ON DELETE` action. Omitted: MySQL's default (`NO ACTION`/`RESTRICT`). */
  readonly onDelete?: ReferentialAction;
  /** `ON UPDATE` action. Omitted: MySQL's default (`NO ACTION`/`RESTRICT`). */
  readonly onUpdate?: ReferentialAction;
  /** Refused: MySQL has no deferrable foreign keys. */
  readonly deferrable?: boolean;
}

/**
 * `[CONSTRAINT `name`] FOREIGN KEY (…) REFERENCES `table` (…) [ON DELETE …] [ON UPDATE …]`, the
 * clause of CREATE TABLE and ALTER TABLE … ADD.
 * @throws {@link OperationError} when the column lists are empty or differ in length;
 *   {@link UnsupportedOperationError} for a `deferrable` key.
 * @example
 * ```ts
 * mysqlForeignKey({ name: 'fk_a', columns: ['ArtistId'], referredTable: 'Artist', referredColumns: ['ArtistId'], onDelete: 'cascade' });
 * // 'CONSTRAINT `fk_a` FOREIGN KEY (`ArtistId`) REFERENCES `Artist` (`ArtistId`) ON DELETE CASCADE'
 * ```
 */
export function mysqlForeignKey(fk: MysqlForeignKeyParts): string {
  if (fk.deferrable) {
    throw new UnsupportedOperationError('mysql', `create the DEFERRABLE foreign key ${fk.name ? `'${fk.name}' ` : ''}on (${fk.columns.join(', ')})`, 'MySQL and MariaDB check foreign keys immediately; leave deferrable out.');
  }
  if (fk.columns.length === 0 || fk.columns.length !== fk.referredColumns.length) {
    throw new OperationError(`Foreign key ${fk.name ? `'${fk.name}' ` : ''}needs as many local as referred columns (got ${fk.columns.length} and ${fk.referredColumns.length}).`);
  }
  return (
    `${fk.name ? `CONSTRAINT ${mysqlName(fk.name)} ` : ''}FOREIGN KEY ${mysqlColumnList(fk.columns)} ` +
    `REFERENCES ${mysqlName(fk.referredTable, fk.referredSchema)} ${mysqlColumnList(fk.referredColumns)}` +
    mysqlReferentialActions(fk.onDelete, fk.onUpdate)
  );
}
