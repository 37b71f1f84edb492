import { parseColumnType, UnsupportedOperationError, type Dialect } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { mariadbDialect, mysqlDialect } from '../../src/mysql/mysql-dialect.js';
import { postgresDialect } from '../../src/postgres/postgres-dialect.js';
import { sqliteDialect } from '../../src/sqlite/sqlite-dialect.js';
import { compileOps, sqlOf } from '../support/op-harness.js';

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

describe("SQLite: the index of a table-level UNIQUE (tableConstraint) is dropped and renamed by a rebuild", () => {
  const existing = { name: 'uq_t_a', columns: [{ name: 'a', order: 'desc' as const }], unique: true, tableConstraint: true };
  const table = {
    name: 't',
    columns: [{ name: 'id', type: parseColumnType('integer'), nullable: false, primaryKey: true }, { name: 'a', type: parseColumnType('integer'), nullable: true }],
    foreignKeys: [],
    uniqueConstraints: [],
    checkConstraints: [],
    indexes: [existing],
  };

  it('online (the table read): a rebuild without the index; a plain index is still DROP INDEX', async () => {
    const dropped = await sqlOf(sqliteDialect, (op) => op.dropIndex('uq_t_a', { table: 't' }), [table]);
    expect(dropped).toContain('DROP TABLE "t"');
    expect(dropped.join('\n')).not.toMatch(/uq_t_a/);
    expect(sqliteDialect.requiredSnapshots({ kind: 'DropIndex', table: 't', name: 'uq_t_a' })).toEqual(['t']);
    expect(await sql(sqliteDialect, (op) => op.dropIndex('ix_t_a', { table: 't' }))).toEqual(['DROP INDEX "ix_t_a"']);
    expect(await sql(sqliteDialect, (op) => op.dropIndex('ix_t_a'))).toEqual(['DROP INDEX "ix_t_a"']);
    const renamed = await sqlOf(sqliteDialect, (op) => op.renameIndex('t', 'uq_t_a', 'ix_t_a'), [table]);
    expect(renamed).toContain('DROP TABLE "t"');
    expect(renamed).toContain('CREATE UNIQUE INDEX "ix_t_a" ON "t" ("a" DESC)');
  });

  it('offline, from existing alone: a clear error asking for the table (copyFrom)', async () => {
    await expect(sql(sqliteDialect, (op) => op.dropIndex('uq_t_a', { table: 't', existing }))).rejects.toThrow(/copyFrom/);
    await expect(sql(sqliteDialect, (op) => op.renameIndex('t', 'uq_t_a', 'ix_t_a', { existing }))).rejects.toThrow(/table-level UNIQUE constraint.*copyFrom/);
  });
});
