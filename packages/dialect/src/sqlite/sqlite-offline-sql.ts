import type { OfflineSql, Statement } from '@multidb/core';
import { offlineComment, renderOfflineStatement, type OfflineStatementStyle } from '../shared/offline-statement.js';
import { renderLiteral, SQLITE_LITERAL_STYLE } from '../shared/render-literal.js';

/** SQLite's placeholders (`?`, `?NNN`) and literals: a parameter as better-sqlite3 would bind it (see `toSqliteParameter`). */
const STYLE: OfflineStatementStyle = Object.freeze({
  placeholders: 'question',
  literal: (value: unknown) => renderLiteral(value, SQLITE_LITERAL_STYLE),
});

/**
 * How offline scripts are written for SQLite (`sqliteDialect.offline`), mirroring
 * `SqliteConnection`:
 * - prologue: `PRAGMA foreign_keys = ON` (as at connect);
 * - begin: `PRAGMA foreign_keys = OFF` (SQLite ignores it inside a transaction), `BEGIN IMMEDIATE`;
 * - commit: the foreign-key check, written so that a violation fails the script (a temporary
 *   table with `CHECK (violations = 0)` takes the count of `pragma_foreign_key_check`: SQLite
 *   then stops with `CHECK constraint failed: foreign_key_check`), then `COMMIT` and
 *   `PRAGMA foreign_keys = ON`;
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
  begin: () => ['PRAGMA foreign_keys = OFF', 'BEGIN IMMEDIATE'],
  commit: () => [
    'CREATE TEMP TABLE IF NOT EXISTS "multidb_foreign_key_check" ("violations" INTEGER NOT NULL CONSTRAINT "foreign_key_check" CHECK ("violations" = 0))',
    'INSERT INTO temp."multidb_foreign_key_check" ("violations") SELECT count(*) FROM pragma_foreign_key_check',
    'COMMIT',
    'PRAGMA foreign_keys = ON',
  ],
  renderStatement: (statement: Statement) => renderOfflineStatement(statement, STYLE),
  comment: offlineComment,
});
