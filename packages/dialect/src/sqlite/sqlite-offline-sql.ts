import type { OfflineSql, Statement } from '@multidb/core';
import { offlineComment, renderOfflineStatement, type OfflineStatementStyle } from '../shared/offline-statement.js';
import { renderLiteral, SQLITE_LITERAL_STYLE } from '../shared/render-literal.js';
import { sqliteForeignKeyEffect } from './sqlite-foreign-key-effect.js';

/** SQLite's placeholders (`?`, `?NNN`) and literals: a parameter as better-sqlite3 would bind it (see `toSqliteParameter`). */
const STYLE: OfflineStatementStyle = Object.freeze({
  placeholders: 'question',
  literal: (value: unknown) => renderLiteral(value, SQLITE_LITERAL_STYLE),
});

/** How many rows break each foreign key: `table`, `parent`, `fkid`, `rows`. */
const COUNT_VIOLATIONS = 'SELECT "table", "parent", "fkid", count(*) AS "rows" FROM pragma_foreign_key_check GROUP BY "table", "parent", "fkid"';

/** A temporary table or view of the foreign-key check, as the script names it. */
const temp = (name: string): string => `temp."multidb_foreign_key_${name}"`;

/**
 * How offline scripts are written for SQLite (`sqliteDialect.offline`), mirroring
 * `SqliteConnection`:
 * - prologue: `PRAGMA foreign_keys = ON` (as at connect);
 * - begin: `PRAGMA foreign_keys = OFF` (SQLite ignores it inside a transaction), `BEGIN IMMEDIATE`;
 * - commit: `COMMIT` and `PRAGMA foreign_keys = ON`, after the foreign-key check the online commit
 *   makes first, written only where the transaction's statements may break a foreign key
 *   (`foreignKeyCheck.effect`, see {@link sqliteForeignKeyEffect}): online every commit checks,
 *   but offline a transaction that can break nothing (a stamp, a revision that only creates
 *   indexes) would only find what the check before it found;
 *   - for statements that may break rows (data statements, a rebuild, `DROP TABLE`), the rows
 *     check: its temporary objects are made once per script (and kept by a sqlite3 session that
 *     runs several), before the first such statement: the view `counts` (how many rows break each
 *     foreign key: `pragma_foreign_key_check` grouped), the table `baseline` (those counts then:
 *     rows that SQLite let in while foreign keys were off are not a revision's doing; no statement
 *     before could change them), the table `now`, the view `added` (how many foreign keys have more
 *     violating rows now than in the baseline) and the table `check` whose `CHECK (violations = 0)`
 *     stops the script. Before COMMIT five short statements: the counts now, in `now`; the row of
 *     `added` goes into `check` (SQLite then stops with `CHECK constraint failed: foreign_key_check`
 *     and the transaction is not committed); the counts become the next transaction's baseline;
 *   - for statements that add no row but may leave a foreign key with no key to refer to
 *     (`CREATE TABLE`, `DROP INDEX`), the keys check: one `SELECT` that returns nothing, and fails
 *     the script with SQLite's `foreign key mismatch` as the online check would;
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
  commit: () => ['COMMIT', 'PRAGMA foreign_keys = ON'],
  foreignKeyCheck: Object.freeze({
    effect: (statement: Statement) => sqliteForeignKeyEffect(statement.sql),
    setup: () => [
      `CREATE TEMP VIEW IF NOT EXISTS ${temp('counts')} AS ${COUNT_VIOLATIONS}`,
      `CREATE TEMP TABLE IF NOT EXISTS ${temp('baseline')} AS SELECT * FROM ${temp('counts')}`,
      `CREATE TEMP TABLE IF NOT EXISTS ${temp('now')} AS SELECT * FROM ${temp('counts')} LIMIT 0`,
      `CREATE TEMP VIEW IF NOT EXISTS ${temp('added')} AS SELECT count(*) AS "violations" FROM ${temp('now')} AS "now" ` +
        `LEFT JOIN ${temp('baseline')} AS "before" USING ("table", "parent", "fkid") WHERE "now"."rows" > coalesce("before"."rows", 0)`,
      `CREATE TEMP TABLE IF NOT EXISTS ${temp('check')} ("violations" INTEGER NOT NULL CONSTRAINT "foreign_key_check" CHECK ("violations" = 0))`,
    ],
    rows: () => [
      `DELETE FROM ${temp('now')}`,
      `INSERT INTO ${temp('now')} SELECT * FROM ${temp('counts')}`,
      `INSERT INTO ${temp('check')} SELECT * FROM ${temp('added')}`,
      `DELETE FROM ${temp('baseline')}`,
      `INSERT INTO ${temp('baseline')} SELECT * FROM ${temp('now')}`,
    ],
    // Reads every foreign key (SQLite raises "foreign key mismatch" as it does) and returns no row.
    keys: () => [`SELECT 1 FROM (SELECT count(*) AS "rows" FROM pragma_foreign_key_check) WHERE "rows" < 0`],
  }),
  renderStatement: (statement: Statement) => renderOfflineStatement(statement, STYLE),
  comment: offlineComment,
});
