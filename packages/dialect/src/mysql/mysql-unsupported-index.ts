import { indexColumnSql, type IndexSnapshot } from '@multidb/core';
import type { MysqlFlavour } from './mysql-url.js';

/**
 * A key written as SQL that is a column or a column prefix, with or without its order, which every
 * flavour indexes: `` `Name` ``, `` `Name`(10) ``, `Name(10)`, `` `Name`(10) DESC ``, `name asc`
 * (a Drizzle MySQL index declares a descending key only so: `` sql`${col} desc` ``). Anything else
 * (`(lower(`email`))`) is an expression.
 */
const COLUMN_OR_PREFIX = /^\s*(?:`(?:[^`]|``)+`|[A-Za-z_$][\w$]*)\s*(?:\(\s*\d+\s*\))?(?:\s+(?:asc|desc))?\s*$/i;

/**
 * The expression keys of an index: its `{ sql }` keys that are not a column or a column prefix.
 * @param index - the index.
 * @returns their SQL, in order (`[]`: none).
 * @example
 * ```ts
 * mysqlExpressionKeys({ name: 'ix', columns: ['id', { sql: '`Name`(10)' }, { sql: '(lower(`email`))' }], unique: false }); // ['(lower(`email`))']
 * ```
 */
export function mysqlExpressionKeys(index: IndexSnapshot): string[] {
  return index.columns.flatMap((c) => {
    const sql = indexColumnSql(c);
    return sql !== undefined && !COLUMN_OR_PREFIX.test(sql) ? [sql] : [];
  });
}

/**
 * Why a flavour cannot have an index (`Dialect.unsupportedIndex`), or `undefined`: MariaDB has no
 * expression (functional) index keys, and refuses `CREATE INDEX … ((lower(`email`)))` with a
 * syntax error (MySQL 8.0.13+ has them); its way is an index on a generated column. A column
 * prefix `` `Name`(10) `` is no expression.
 *
 * @param flavour - `'mysql'` (every index is taken as possible: returns `undefined`) or `'mariadb'`.
 * @param index - the index.
 * @returns a sentence naming MariaDB, the key and what to do instead, or `undefined`.
 * @example
 * ```ts
 * mysqlUnsupportedIndex('mariadb', { name: 'uq_user_email', columns: [{ sql: '(lower(`email`))' }], unique: true });
 * // 'MariaDB has no expression (functional) indexes (MySQL 8.0.13+ has): it cannot index (lower(`email`)). …'
 * mysqlUnsupportedIndex('mysql', { name: 'uq_user_email', columns: [{ sql: '(lower(`email`))' }], unique: true }); // undefined
 * ```
 */
export function mysqlUnsupportedIndex(flavour: MysqlFlavour, index: IndexSnapshot): string | undefined {
  if (flavour !== 'mariadb') return undefined;
  const keys = mysqlExpressionKeys(index);
  if (keys.length === 0) return undefined;
  return (
    `MariaDB has no expression (functional) indexes (MySQL 8.0.13+ has): it cannot index ${keys.join(', ')}. ` +
    'Index a generated column instead, which is MariaDB\'s way: add a column computed from the expression ' +
    '(`email_lower varchar(255) AS (lower(`email`)) VIRTUAL`, or STORED; in Drizzle `.generatedAlwaysAs(…)`) and index that column.'
  );
}
