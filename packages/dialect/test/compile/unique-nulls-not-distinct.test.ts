import { tableFromInput, UnsupportedOperationError, type Dialect } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { mariadbDialect, mysqlDialect } from '../../src/mysql/mysql-dialect.js';
import { postgresDialect } from '../../src/postgres/postgres-dialect.js';
import { sqliteDialect } from '../../src/sqlite/sqlite-dialect.js';
import { sqlOf } from '../support/op-harness.js';

const customer = tableFromInput('Customer', [{ name: 'Id', type: 'integer', primaryKey: true }, { name: 'Code', type: 'varchar(10)' }], {}, {});

describe('a unique constraint with NULLS NOT DISTINCT (exact SQL per dialect)', () => {
  it('postgres: UNIQUE NULLS NOT DISTINCT, added and in CREATE TABLE', async () => {
    expect(await sqlOf(postgresDialect, (op) => op.createUniqueConstraint(null, 'Customer', ['Code'], { nullsNotDistinct: true }))).toEqual([
      'ALTER TABLE "Customer" ADD CONSTRAINT "uq_Customer_Code" UNIQUE NULLS NOT DISTINCT ("Code")',
    ]);
    expect(await sqlOf(postgresDialect, (op) => op.batchAlterTable('Customer', (b) => b.createUniqueConstraint('uq_code', ['Code'], { nullsNotDistinct: true })))).toEqual([
      'ALTER TABLE "Customer" ADD CONSTRAINT "uq_code" UNIQUE NULLS NOT DISTINCT ("Code")',
    ]);
    const created = await sqlOf(postgresDialect, (op) =>
      op.createTable('Customer', [{ name: 'Code', type: 'varchar(10)' }, { name: 'Region', type: 'integer' }], { uniqueConstraints: [{ columns: ['Code', 'Region'], nullsNotDistinct: true }, ['Region']] }),
    );
    expect(created[0]).toBe(
      'CREATE TABLE "Customer" (\n  "Code" varchar(10),\n  "Region" integer,\n' +
        '  CONSTRAINT "uq_Customer_Code_Region" UNIQUE NULLS NOT DISTINCT ("Code", "Region"),\n  CONSTRAINT "uq_Customer_Region" UNIQUE ("Region")\n)',
    );
  });

  it('sqlite, mysql and mariadb refuse it, added, in a batch or in CREATE TABLE', async () => {
    for (const dialect of [sqliteDialect, mysqlDialect, mariadbDialect] as Dialect[]) {
      await expect(sqlOf(dialect, (op) => op.createUniqueConstraint(null, 'Customer', ['Code'], { nullsNotDistinct: true }), [customer])).rejects.toThrow(UnsupportedOperationError);
      await expect(sqlOf(dialect, (op) => op.batchAlterTable('Customer', (b) => b.createUniqueConstraint(null, ['Code'], { nullsNotDistinct: true })), [customer])).rejects.toThrow(
        /NULLS NOT DISTINCT is PostgreSQL only/,
      );
      await expect(sqlOf(dialect, (op) => op.createTable('Customer', [{ name: 'Code', type: 'varchar(10)' }], { uniqueConstraints: [{ columns: ['Code'], nullsNotDistinct: true }] }))).rejects.toThrow(
        UnsupportedOperationError,
      );
    }
  });
});
