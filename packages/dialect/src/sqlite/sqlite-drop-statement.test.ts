import { describe, expect, it } from 'vitest';
import { sqliteDropStatement } from './sqlite-drop-statement.js';

describe('sqliteDropStatement', () => {
  it('a DROP TABLE of the main schema names its table, however written', () => {
    for (const sql of ['DROP TABLE "Genre"', 'drop table Genre;', 'DROP TABLE IF EXISTS "Genre"', 'DROP TABLE main."Genre"', 'DROP /* c */ TABLE\n"main" . [Genre] -- x']) {
      expect(sqliteDropStatement(sql), sql).toEqual({ kind: 'table', table: 'Genre' });
    }
    expect(sqliteDropStatement('DROP TABLE "a""b"')).toEqual({ kind: 'table', table: 'a"b' });
  });

  it('indexes, views, triggers and columns hold no rows of their own', () => {
    for (const sql of ['DROP INDEX "ix_Genre_Name"', 'DROP INDEX IF EXISTS main.ix', 'DROP VIEW v', 'DROP TRIGGER IF EXISTS "t"', 'ALTER TABLE "Genre" DROP COLUMN "Name"', 'alter table main.Genre drop Name']) {
      expect(sqliteDropStatement(sql), sql).toEqual({ kind: 'no-rows' });
    }
  });

  it('anything else is not known: another schema, more text, the word elsewhere', () => {
    for (const sql of [
      'DROP TABLE temp."Genre"',
      'DROP TABLE aux.Genre',
      'DROP TABLE "Genre" CASCADE',
      'DROP TABLE',
      `DELETE FROM "Genre" WHERE "Name" = 'drop'`,
      'CREATE TABLE "dropped" (a)',
      'ALTER TABLE "Genre" DROP CONSTRAINT "x" CASCADE',
      'ALTER TABLE "Genre" RENAME TO "drop"',
    ]) {
      expect(sqliteDropStatement(sql), sql).toEqual({ kind: 'unknown' });
    }
  });
});
