import { UnsupportedOperationError, type Dialect } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { mariadbDialect, mysqlDialect } from '../../src/mysql/mysql-dialect.js';
import { postgresDialect } from '../../src/postgres/postgres-dialect.js';
import { sqliteDialect } from '../../src/sqlite/sqlite-dialect.js';
import { compileOps } from '../support/op-harness.js';

const changed = { name: 'Changed', type: 'timestamp', default: { sql: 'CURRENT_TIMESTAMP' }, onUpdate: 'CURRENT_TIMESTAMP' } as const;

describe('a column with ON UPDATE (exact SQL per dialect)', () => {
  it('mysql and mariadb: written after the default, and restated by MODIFY COLUMN from existing offline', async () => {
    for (const dialect of [mysqlDialect, mariadbDialect]) {
      expect((await compileOps(dialect, (op) => op.addColumn('Doc', changed))).map((s) => s.sql)).toEqual([
        'ALTER TABLE `Doc` ADD COLUMN `Changed` timestamp NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP',
      ]);
      const alter = await compileOps(dialect, (op) =>
        op.alterColumn('Doc', 'Changed', { nullable: false, existing: { type: 'timestamp', default: { sql: 'CURRENT_TIMESTAMP' }, onUpdate: 'CURRENT_TIMESTAMP' } }),
      );
      expect(alter.map((s) => s.sql)).toEqual(['ALTER TABLE `Doc` MODIFY COLUMN `Changed` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP']);
      // A column changed to a type without date and time loses it (MySQL would refuse it).
      const toText = await compileOps(dialect, (op) => op.alterColumn('Doc', 'Changed', { type: 'varchar(30)', existing: { type: 'timestamp', nullable: true, onUpdate: 'CURRENT_TIMESTAMP' } }));
      expect(toText.map((s) => s.sql)).toEqual(['ALTER TABLE `Doc` MODIFY COLUMN `Changed` varchar(30) NULL']);
      // alterColumn's onUpdate: set, changed and removed by MODIFY COLUMN, the rest restated.
      const set = await compileOps(dialect, (op) => op.alterColumn('Doc', 'Changed', { onUpdate: 'CURRENT_TIMESTAMP', existing: { type: 'timestamp', nullable: false, default: { sql: 'CURRENT_TIMESTAMP' } } }));
      expect(set.map((s) => s.sql)).toEqual(['ALTER TABLE `Doc` MODIFY COLUMN `Changed` timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP']);
      const removed = await compileOps(dialect, (op) => op.alterColumn('Doc', 'Changed', { onUpdate: null, existing: { type: 'datetime', nullable: true, onUpdate: 'CURRENT_TIMESTAMP' } }));
      expect(removed.map((s) => s.sql)).toEqual(['ALTER TABLE `Doc` MODIFY COLUMN `Changed` datetime NULL']);
    }
  });

  it('postgres and sqlite refuse it (a trigger does that there)', async () => {
    for (const dialect of [postgresDialect, sqliteDialect] as Dialect[]) {
      await expect(compileOps(dialect, (op) => op.createTable('Doc', [changed]))).rejects.toThrow(UnsupportedOperationError);
      await expect(compileOps(dialect, (op) => op.alterColumn('Doc', 'Changed', { onUpdate: 'CURRENT_TIMESTAMP', existing: { type: 'timestamp', nullable: true } }))).rejects.toThrow(UnsupportedOperationError);
      // There is none to remove: nothing to do.
      expect(await compileOps(dialect, (op) => op.alterColumn('Doc', 'Changed', { onUpdate: null }))).toEqual([]);
    }
  });
});
