import { UnsupportedOperationError, type Dialect } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { mariadbDialect, mysqlDialect } from '../../src/mysql/mysql-dialect.js';
import { postgresDialect } from '../../src/postgres/postgres-dialect.js';
import { sqliteDialect } from '../../src/sqlite/sqlite-dialect.js';
import { compileOps } from '../support/op-harness.js';

const sql = async (dialect: Dialect, method: string, unique = false) =>
  (await compileOps(dialect, (op) => op.createIndex(null, 'Track', ['Name'], { method, unique }))).map((s) => s.sql);

describe('createIndex with an access method (exact SQL per dialect)', () => {
  it('postgres: USING method; btree is the default and is not written', async () => {
    expect(await sql(postgresDialect, 'gin')).toEqual(['CREATE INDEX "ix_Track_Name" ON "Track" USING gin ("Name")']);
    expect(await sql(postgresDialect, 'BRIN')).toEqual(['CREATE INDEX "ix_Track_Name" ON "Track" USING brin ("Name")']);
    expect(await sql(postgresDialect, 'btree')).toEqual(['CREATE INDEX "ix_Track_Name" ON "Track" ("Name")']);
    await expect(sql(postgresDialect, 'fulltext')).rejects.toThrow(/not a PostgreSQL access method/);
  });

  it('mysql and mariadb: FULLTEXT and SPATIAL indexes, never unique', async () => {
    for (const dialect of [mysqlDialect, mariadbDialect]) {
      expect(await sql(dialect, 'fulltext')).toEqual(['CREATE FULLTEXT INDEX `ix_Track_Name` ON `Track` (`Name`)']);
      expect(await sql(dialect, 'spatial')).toEqual(['CREATE SPATIAL INDEX `ix_Track_Name` ON `Track` (`Name`)']);
      await expect(sql(dialect, 'fulltext', true)).rejects.toThrow(UnsupportedOperationError);
      await expect(sql(dialect, 'gin')).rejects.toThrow(/fulltext and spatial/);
    }
    const table = await compileOps(mariadbDialect, (op) => op.createTable('Doc', [{ name: 'Body', type: 'text' }], { indexes: [{ columns: ['Body'], method: 'fulltext' }] }));
    expect(table[0]!.sql).toContain('FULLTEXT INDEX `ix_Doc_Body` (`Body`)');
  });

  it('sqlite: B-tree indexes only', async () => {
    await expect(sql(sqliteDialect, 'gin')).rejects.toThrow(UnsupportedOperationError);
  });

  it('postgres: INCLUDE and NULLS NOT DISTINCT, before WHERE; refused elsewhere', async () => {
    const covering = (dialect: Dialect) =>
      compileOps(dialect, (op) => op.createIndex('ix_cover', 'Track', ['Name'], { include: ['Composer', 'Bytes'], where: '"Bytes" > 0' }));
    expect((await covering(postgresDialect)).map((s) => s.sql)).toEqual(['CREATE INDEX "ix_cover" ON "Track" ("Name") INCLUDE ("Composer", "Bytes") WHERE "Bytes" > 0']);
    const nnd = await compileOps(postgresDialect, (op) => op.createIndex('uix', 'Track', ['Name'], { unique: true, nullsNotDistinct: true }));
    expect(nnd.map((s) => s.sql)).toEqual(['CREATE UNIQUE INDEX "uix" ON "Track" ("Name") NULLS NOT DISTINCT']);
    for (const dialect of [sqliteDialect, mysqlDialect, mariadbDialect] as Dialect[]) {
      await expect(compileOps(dialect, (op) => op.createIndex('ix_cover', 'Track', ['Name'], { include: ['Composer'] }))).rejects.toThrow(UnsupportedOperationError);
      await expect(compileOps(dialect, (op) => op.createIndex('uix', 'Track', ['Name'], { unique: true, nullsNotDistinct: true }))).rejects.toThrow(UnsupportedOperationError);
    }
  });
});
