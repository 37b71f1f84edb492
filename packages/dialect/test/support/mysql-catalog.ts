// What a MySQL/MariaDB database holds, read from information_schema, for checking what ops did.
import type { DialectConnection } from '@multidb/core';
import { q } from './op-harness.js';

/** Column rows of a table: name, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT. */
export function columnsOf(conn: DialectConnection, table: string): Promise<readonly Record<string, any>[]> {
  return q(
    conn,
    `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_DEFAULT AS dflt, EXTRA AS extra, COLUMN_COMMENT AS comment
     FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION`,
    table,
  );
}

/** A table's constraints as `<CONSTRAINT_TYPE> <name>`, sorted. */
export async function constraintsOf(conn: DialectConnection, table: string): Promise<string[]> {
  return (
    await q(
      conn,
      'SELECT CONSTRAINT_NAME AS name, CONSTRAINT_TYPE AS type FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY CONSTRAINT_TYPE, CONSTRAINT_NAME',
      table,
    )
  ).map((r) => `${r.type} ${r.name}`);
}

/** A table's indexes as `[unique ]<name>(<columns>)`, sorted by name. */
export async function indexesOf(conn: DialectConnection, table: string): Promise<string[]> {
  return (
    await q(
      conn,
      `SELECT INDEX_NAME AS name, MAX(NON_UNIQUE) AS nonUnique, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX) AS cols
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? GROUP BY INDEX_NAME ORDER BY INDEX_NAME`,
      table,
    )
  ).map((r) => `${Number(r.nonUnique) ? '' : 'unique '}${r.name}(${r.cols})`);
}
