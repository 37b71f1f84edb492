import { tableFromInput, UnsupportedOperationError } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { mariadbDialect, mysqlDialect } from '../../src/mysql/mysql-dialect.js';
import { postgresDialect } from '../../src/postgres/postgres-dialect.js';
import { sqliteDialect } from '../../src/sqlite/sqlite-dialect.js';
import { sqlOf } from '../support/op-harness.js';

const columns = [
  { name: 'Sensor', type: 'varchar(10)', nullable: false },
  { name: 'TakenAt', type: 'integer', nullable: false },
] as const;
const log = tableFromInput('Log', [...columns], {}, {});

describe('a primary key with keys sorted DESC (exact SQL per dialect)', () => {
  it('sqlite: DESC in the table-level PRIMARY KEY, created or by a rebuild', async () => {
    const created = await sqlOf(sqliteDialect, (op) => op.createTable('Log', [...columns], { primaryKey: { columns: ['Sensor', 'TakenAt'], descending: ['TakenAt'] } }));
    expect(created[0]).toBe('CREATE TABLE "Log" (\n  "Sensor" varchar(10) NOT NULL,\n  "TakenAt" integer NOT NULL,\n  CONSTRAINT "pk_Log" PRIMARY KEY ("Sensor", "TakenAt" DESC)\n)');
    const rebuilt = await sqlOf(sqliteDialect, (op) => op.createPrimaryKey(null, 'Log', ['Sensor', 'TakenAt'], { descending: ['TakenAt'] }), [log]);
    expect(rebuilt.find((s) => s.startsWith('CREATE TABLE'))).toContain('CONSTRAINT "pk_Log" PRIMARY KEY ("Sensor", "TakenAt" DESC)');
  });

  it('sqlite: a DESC key on one INTEGER column is written on the column (no rowid alias, as SQLite reads it); AUTOINCREMENT refused with it', async () => {
    const key = (type: string, extra: object = {}) =>
      sqlOf(sqliteDialect, (op) => op.createTable('Seq', [{ name: 'Id', type, nullable: false, ...extra }, { name: 'V', type: 'text' }], { primaryKey: { columns: ['Id'], descending: ['Id'] } }));
    expect((await key('integer'))[0]).toBe('CREATE TABLE "Seq" (\n  "Id" integer NOT NULL CONSTRAINT "pk_Seq" PRIMARY KEY DESC,\n  "V" text\n)');
    // Another type: the table-level key means the same.
    expect((await key('bigint'))[0]).toBe('CREATE TABLE "Seq" (\n  "Id" bigint NOT NULL,\n  "V" text,\n  CONSTRAINT "pk_Seq" PRIMARY KEY ("Id" DESC)\n)');
    await expect(key('integer', { autoincrement: true })).rejects.toThrow(/AUTOINCREMENT needs one/);
  });

  it('mysql and mariadb: DESC in PRIMARY KEY and ADD PRIMARY KEY', async () => {
    for (const dialect of [mysqlDialect, mariadbDialect]) {
      expect(await sqlOf(dialect, (op) => op.createPrimaryKey(null, 'Log', ['Sensor', 'TakenAt'], { descending: ['TakenAt'] }))).toEqual(['ALTER TABLE `Log` ADD PRIMARY KEY (`Sensor`, `TakenAt` DESC)']);
      const created = await sqlOf(dialect, (op) => op.createTable('Log', [...columns], { primaryKey: { columns: ['Sensor', 'TakenAt'], descending: ['Sensor'] } }));
      expect(created[0]).toContain('PRIMARY KEY (`Sensor` DESC, `TakenAt`)');
    }
  });

  it('postgres refuses it (its PRIMARY KEY takes no order), added, in a batch or in CREATE TABLE', async () => {
    await expect(sqlOf(postgresDialect, (op) => op.createPrimaryKey(null, 'Log', ['Sensor', 'TakenAt'], { descending: ['TakenAt'] }))).rejects.toThrow(UnsupportedOperationError);
    await expect(sqlOf(postgresDialect, (op) => op.batchAlterTable('Log', (b) => b.createPrimaryKey(null, ['Sensor'], { descending: ['Sensor'] })))).rejects.toThrow(/takes no key order/);
    await expect(sqlOf(postgresDialect, (op) => op.createTable('Log', [...columns], { primaryKey: { columns: ['Sensor'], descending: ['Sensor'] } }))).rejects.toThrow(UnsupportedOperationError);
    expect(await sqlOf(postgresDialect, (op) => op.createPrimaryKey(null, 'Log', ['Sensor'], { descending: [] }))).toEqual(['ALTER TABLE "Log" ADD CONSTRAINT "pk_Log" PRIMARY KEY ("Sensor")']);
  });

  it('a descending column that is not one of the key is refused when the op is built', async () => {
    await expect(sqlOf(sqliteDialect, (op) => op.createPrimaryKey(null, 'Log', ['Sensor'], { descending: ['TakenAt'] }), [log])).rejects.toThrow(/descending column 'TakenAt' .* is not one of its columns/);
    await expect(sqlOf(sqliteDialect, (op) => op.createTable('Log', [...columns], { primaryKey: { columns: ['Sensor'], descending: ['Sensor', 'Sensor'] } }))).rejects.toThrow(/given twice/);
  });
});
