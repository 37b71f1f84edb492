import type { OfflineSql, Statement } from '@multidb/core';
import { offlineComment, renderOfflineStatement, type OfflineStatementStyle } from '../shared/offline-statement.js';
import { renderLiteral, SQLITE_LITERAL_STYLE } from '../shared/render-literal.js';

/** SQLite's placeholders (`?`, `?NNN`) and literals: a parameter as better-sqlite3 would bind it (see `toSqliteParameter`). */
const STYLE: OfflineStatementStyle = Object.freeze({
  placeholders: 'question',
  literal: (value: unknown) => renderLiteral(value, SQLITE_LITERAL_STYLE),
});

/** How many rows break each foreign key: `table`, `parent`, `fkid`, `rows`. */
const COUNT_VIOLATIONS = 'SELECT "table", "parent", "fkid", count(*) AS "rows" FROM pragma_foreign_key_check GROUP BY "table", "parent", "fkid"';

/**
 * How offline scripts are written for SQLite (`sqliteDialect.offline`), mirroring
 * `SqliteConnection`:
 * - prologue: `PRAGMA foreign_keys = ON` (as at connect);
 * - begin: `PRAGMA foreign_keys = OFF` (SQLite ignores it inside a transaction), `BEGIN IMMEDIATE`,
 *   and, in the script's first transaction, the baseline of the foreign-key check: a temporary
 *   table of how many rows break each foreign key before the script (`pragma_foreign_key_check`
 *   grouped; rows that SQLite let in while foreign keys were off are not a revision's doing);
 * - commit: the foreign-key check, written so that a transaction that adds a violating row fails
 *   the script (the counts now, in a temporary table; one row per foreign key with more than the
 *   baseline's goes into a temporary table with `CHECK (violations = 0)`: SQLite then stops with
 *   `CHECK constraint failed: foreign_key_check`); the counts become the next transaction's
 *   baseline; then `COMMIT` and `PRAGMA foreign_keys = ON`;
 * - statements: `?` parameters as SQLite literals (`'O''Reilly'`, `NULL`, `1`/`0` for booleans,
 *   ISO-8601 text for dates, `X'…'` for bytes), then `;`.
 *
 * Run a script with `sqlite3 -bail DATABASE < FILE`: without `-bail`, sqlite3 goes on after a
 * failed statement and would COMMIT the rest.
 *
 * @example
 * ```ts
 * SQLITE_OFFLINE_SQL.renderStatement({ sql: 'update "Invoice" set "Currency" = ?', parameters: ['USD'] });
 * // `update "Invoice" set "Currency" = 'USD';`
 * ```
 */
export const SQLITE_OFFLINE_SQL: OfflineSql = Object.freeze({
  runWith: 'sqlite3 -bail DATABASE < FILE',
  prologue: () => ['PRAGMA foreign_keys = ON'],
  begin: () => [
    'PRAGMA foreign_keys = OFF',
    'BEGIN IMMEDIATE',
    `CREATE TEMP TABLE IF NOT EXISTS "multidb_foreign_key_baseline" AS ${COUNT_VIOLATIONS}`,
  ],
  commit: () => [
    'CREATE TEMP TABLE IF NOT EXISTS "multidb_foreign_key_check" ("violations" INTEGER NOT NULL CONSTRAINT "foreign_key_check" CHECK ("violations" = 0))',
    `CREATE TEMP TABLE IF NOT EXISTS "multidb_foreign_key_now" AS ${COUNT_VIOLATIONS} LIMIT 0`,
    'DELETE FROM temp."multidb_foreign_key_now"',
    `INSERT INTO temp."multidb_foreign_key_now" ${COUNT_VIOLATIONS}`,
    'INSERT INTO temp."multidb_foreign_key_check" ("violations") SELECT count(*) FROM temp."multidb_foreign_key_now" AS "now" ' +
      'LEFT JOIN temp."multidb_foreign_key_baseline" AS "before" USING ("table", "parent", "fkid") WHERE "now"."rows" > coalesce("before"."rows", 0)',
    'DELETE FROM temp."multidb_foreign_key_baseline"',
    'INSERT INTO temp."multidb_foreign_key_baseline" SELECT * FROM temp."multidb_foreign_key_now"',
    'COMMIT',
    'PRAGMA foreign_keys = ON',
  ],
  renderStatement: (statement: Statement) => renderOfflineStatement(statement, STYLE),
  comment: offlineComment,
});
