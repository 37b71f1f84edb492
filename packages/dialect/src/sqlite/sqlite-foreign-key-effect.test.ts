import { describe, expect, it } from 'vitest';
import { sqliteForeignKeyEffect } from './sqlite-foreign-key-effect.js';

describe('sqliteForeignKeyEffect', () => {
  it.each([
    // Nothing to break: indexes, views, triggers, a plain new column.
    ['CREATE INDEX "ix_a" ON "t" ("a")', 'none'],
    ['create unique index if not exists ix ON t (a)', 'none'],
    ['CREATE VIEW "v" AS SELECT * FROM "t"', 'none'],
    ['CREATE TEMP TRIGGER "tr" AFTER INSERT ON "t" BEGIN DELETE FROM "u"; END', 'none'],
    ['DROP VIEW IF EXISTS "v"', 'none'],
    ['ALTER TABLE "t" ADD COLUMN "note" text', 'none'],
    ['-- a comment\n/* and another */ ALTER TABLE main."t" ADD "n" integer DEFAULT 0', 'none'],
    // No row, but a foreign key may be left without a key to refer to.
    ['CREATE TABLE "child" ("id" integer PRIMARY KEY, "p" integer REFERENCES "parent" ("code"))', 'keys'],
    ['CREATE TABLE "parent" ("id" integer PRIMARY KEY)', 'keys'],
    ['CREATE TABLE IF NOT EXISTS "as" ("as" text)', 'keys'],
    ['DROP INDEX "ux_parent_code"', 'keys'],
    ['ALTER TABLE "t" ADD COLUMN "p" integer REFERENCES "parent" ("id")', 'keys'],
    ['ALTER TABLE "parent" RENAME COLUMN "code" TO "key"', 'keys'],
    ['ALTER TABLE "parent" DROP COLUMN "code"', 'keys'],
    ['ALTER TABLE "_multidb_tmp_t" RENAME TO "t"', 'keys'],
    // Rows: data, a dropped table, a table made with rows, anything not known.
    ['INSERT INTO "child" VALUES (1, 42)', 'rows'],
    ['update "t" set "a" = 1', 'rows'],
    ['DELETE FROM "parent"', 'rows'],
    ['REPLACE INTO "t" VALUES (1)', 'rows'],
    ['DROP TABLE "parent"', 'rows'],
    ['CREATE TABLE "copy" AS SELECT * FROM "t"', 'rows'],
    ['CREATE TEMP TABLE IF NOT EXISTS main."copy" AS SELECT 1', 'rows'],
    ['PRAGMA legacy_alter_table = ON', 'rows'],
    ['WITH x AS (SELECT 1) INSERT INTO "t" SELECT * FROM x', 'rows'],
    ['VACUUM', 'rows'],
  ])('%s: %s', (sql, effect) => {
    expect(sqliteForeignKeyEffect(sql)).toBe(effect);
  });
});
