import { UnsupportedOperationError, type Dialect } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { mariadbDialect, mysqlDialect } from '../../src/mysql/mysql-dialect.js';
import { postgresDialect } from '../../src/postgres/postgres-dialect.js';
import { sqliteDialect } from '../../src/sqlite/sqlite-dialect.js';
import { compileOps } from '../support/op-harness.js';

const sql = async (dialect: Dialect, fn: Parameters<typeof compileOps>[1]) => (await compileOps(dialect, fn)).map((s) => s.sql);

describe('index keys with a sort order: DESC, NULLS FIRST/LAST (exact SQL per dialect)', () => {
  it('postgres: DESC and NULLS, on columns and expressions', async () => {
    expect(await sql(postgresDialect, (op) => op.createIndex('extras_amt_desc', 'extras', [{ name: 'amount', order: 'desc', nulls: 'last' }, 'id'], { unique: true }))).toEqual([
      'CREATE UNIQUE INDEX "extras_amt_desc" ON "extras" ("amount" DESC NULLS LAST, "id")',
    ]);
    expect(await sql(postgresDialect, (op) => op.createIndex(null, 'extras', [{ name: 'amount', nulls: 'first' }, { sql: 'lower(note)', order: 'desc' }]))).toEqual([
      'CREATE INDEX "ix_extras_amount_expr" ON "extras" ("amount" NULLS FIRST, (lower(note)) DESC)',
    ]);
    // The defaults are not written.
    expect(await sql(postgresDialect, (op) => op.createIndex('ix', 'extras', [{ name: 'amount', order: 'desc', nulls: 'first' }, { name: 'id', order: 'asc' }]))).toEqual([
      'CREATE INDEX "ix" ON "extras" ("amount" DESC, "id")',
    ]);
  });

  it('mysql, mariadb and sqlite: DESC; a NULLs order is refused', async () => {
    for (const dialect of [mysqlDialect, mariadbDialect]) {
      expect(await sql(dialect, (op) => op.createIndex('ix', 'extras', [{ name: 'amount', order: 'desc' }, 'id']))).toEqual(['CREATE INDEX `ix` ON `extras` (`amount` DESC, `id`)']);
    }
    expect(await sql(sqliteDialect, (op) => op.createIndex('ix', 'extras', [{ name: 'amount', order: 'desc' }, 'id']))).toEqual(['CREATE INDEX "ix" ON "extras" ("amount" DESC, "id")']);
    for (const dialect of [mysqlDialect, sqliteDialect] as Dialect[]) {
      await expect(sql(dialect, (op) => op.createIndex('ix', 'extras', [{ name: 'amount', order: 'desc', nulls: 'last' }]))).rejects.toThrow(UnsupportedOperationError);
      await expect(sql(dialect, (op) => op.createIndex('ix', 'extras', [{ name: 'amount', order: 'desc', nulls: 'last' }]))).rejects.toThrow(/NULLS LAST in the index 'ix'.*only PostgreSQL/);
    }
  });
});
