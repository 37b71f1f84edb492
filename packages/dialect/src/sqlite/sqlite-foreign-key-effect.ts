import type { ForeignKeyEffect } from '@multidb/core';

/** Leading whitespace and comments (`-- …` lines, `/* … *\/` blocks). */
const LEADING = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[^]*?\*\/)*/;

/** An identifier as SQLite takes it: `"a ""b"""`, `` `a` ``, `[a]`, or bare. */
const NAME = String.raw`(?:"(?:[^"]|"")*"|\x60[^\x60]*\x60|\[[^\]]*\]|[\w$]+)`;

/** `CREATE TABLE [IF NOT EXISTS] [schema.]name AS …`: a table made from a query, with its rows. */
const CREATE_TABLE_AS = new RegExp(String.raw`^create\s+(?:temp(?:orary)?\s+)?table\s+(?:if\s+not\s+exists\s+)?${NAME}(?:\s*\.\s*${NAME})?\s+as\b`, 'i');

/**
 * What a statement run with foreign keys off (a SQLite revision's transaction, DESIGN §7) may
 * break of foreign keys, for the offline script's check before COMMIT
 * (`OfflineForeignKeyCheck.effect`). Read from the statement's text, conservatively:
 * - `'none'`: `CREATE [UNIQUE] INDEX`, `CREATE`/`DROP` `VIEW` or `TRIGGER`, `ALTER TABLE … ADD
 *   [COLUMN]` without `REFERENCES` (a new column, NULL or its default in every row, in no foreign
 *   key): they add no row and take no key away;
 * - `'keys'`: `CREATE TABLE` (a new table's foreign key may refer to columns that are no key of
 *   their table, and a table made for foreign keys that already referred to it may lack the key
 *   they refer to: SQLite's `foreign key mismatch`), `DROP INDEX` (a unique index a foreign key
 *   refers to), the other `ALTER TABLE`s (a column renamed or dropped, one added with
 *   `REFERENCES`): no row is added, but a foreign key may be left with nothing to refer to;
 * - `'rows'`: everything else: `INSERT`, `UPDATE`, `DELETE`, `REPLACE`, `DROP TABLE` (the rows
 *   that referred to it), `CREATE TABLE … AS` (a table with rows), `PRAGMA`, and any statement not
 *   known here.
 *
 * @param sql - one statement's text.
 * @returns the statement's effect.
 * @example
 * ```ts
 * sqliteForeignKeyEffect('CREATE INDEX "ix_a" ON "t" ("a")'); // 'none'
 * sqliteForeignKeyEffect('CREATE TABLE "t" ("id" integer PRIMARY KEY)'); // 'keys'
 * sqliteForeignKeyEffect('DELETE FROM "parent"'); // 'rows'
 * ```
 */
export function sqliteForeignKeyEffect(sql: string): ForeignKeyEffect {
  const text = sql.replace(LEADING, '');
  if (/^create\s+(?:unique\s+)?index\b/i.test(text)) return 'none';
  if (/^create\s+(?:temp(?:orary)?\s+)?(?:view|trigger)\b/i.test(text) || /^drop\s+(?:view|trigger)\b/i.test(text)) return 'none';
  if (/^alter\s+table\b/i.test(text)) {
    const adds = new RegExp(String.raw`^alter\s+table\s+${NAME}(?:\s*\.\s*${NAME})?\s+add\b`, 'i').test(text);
    return adds && !/\breferences\b/i.test(text) ? 'none' : 'keys';
  }
  if (/^create\s+(?:temp(?:orary)?\s+)?table\b/i.test(text)) return CREATE_TABLE_AS.test(text) ? 'rows' : 'keys';
  if (/^create\s+virtual\s+table\b/i.test(text)) return 'keys';
  if (/^drop\s+index\b/i.test(text)) return 'keys';
  return 'rows';
}
