import { describe, expect, it } from 'vitest';
import { sqliteInsertTarget } from './sqlite-insert-target.js';

describe('sqliteInsertTarget', () => {
  it('the table an INSERT or REPLACE names, however written', () => {
    expect(sqliteInsertTarget('INSERT INTO "_multidb_tmp_T" ("id", "b") SELECT "id", "b" FROM "T"')).toBe('_multidb_tmp_T');
    expect(sqliteInsertTarget('insert or replace into main."T" values (?)')).toBe('T');
    expect(sqliteInsertTarget('REPLACE INTO [T] DEFAULT VALUES')).toBe('T');
    expect(sqliteInsertTarget(' /* c */ INSERT INTO T SELECT 1')).toBe('T');
    expect(sqliteInsertTarget(`INSERT INTO "T" ("a") VALUES ${Array.from({ length: 500 }, () => '(?)').join(', ')}`)).toBe('T');
  });

  it('nothing for other statements and forms, or a name the first 512 characters cut', () => {
    for (const sql of ['UPDATE "T" SET a = 1', 'DELETE FROM "T"', 'WITH x AS (SELECT 1) INSERT INTO "T" SELECT * FROM x', 'INSERT INTO temp."T" VALUES (1)', 'INSERT INTO aux.T VALUES (1)', 'INSERT "T" VALUES (1)']) {
      expect(sqliteInsertTarget(sql), sql).toBeUndefined();
    }
    expect(sqliteInsertTarget(`INSERT INTO "${'x'.repeat(600)}" VALUES (1)`)).toBeUndefined();
  });
});
