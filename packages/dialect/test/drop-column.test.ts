// dropColumn: the exact SQL of each dialect; on SQLite, dropping a key, UNIQUE or indexed column
// needs a table rebuild (the rebuild itself: sqlite-batch-compile and sqlite-batch-rebuild).
import { OperationError, parseColumnType } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { DIALECTS, SQLITE } from './support/dialects.js';
import { context, q, runInTransaction, runOps } from './support/op-harness.js';
import { itCompiles, type SqlCase } from './support/sql-cases.js';

const cases: SqlCase[] = [
  {
    name: 'dropColumn',
    ops: (op) => op.dropColumn('Invoice', 'Currency'),
    expected: {
      sqlite: ['ALTER TABLE "Invoice" DROP COLUMN "Currency"'],
      postgres: ['ALTER TABLE "Invoice" DROP COLUMN "Currency"'],
      mysql: ['ALTER TABLE `Invoice` DROP COLUMN `Currency`'],
    },
  },
];

for (const d of DIALECTS) describe(`${d.name}: dropColumn`, () => itCompiles(d, cases));

describe('sqlite: dropColumn of a key, UNIQUE or indexed column', () => {
  const compile = (op: Parameters<typeof SQLITE.dialect.compile>[0]) => SQLITE.dialect.compile(op, context());

  it('needs the table’s shape when `existing` says the column is a key or UNIQUE (a rebuild)', () => {
    const existing = { type: parseColumnType('integer'), nullable: false, primaryKey: true };
    expect(() => compile({ kind: 'DropColumn', table: 'T', column: 'id', existing })).toThrow(/to drop the PRIMARY KEY column "id" \(op\.dropColumn\("T", …\)\) by a table rebuild/);
    expect(() => compile({ kind: 'DropColumn', table: 'T', column: 'c', existing: { ...existing, primaryKey: false, unique: true } })).toThrow(OperationError);
  });

  SQLITE.describeOnDatabase('on a real file', () => {
    const database = SQLITE.useDatabase('drop_column');

    it('dropping an indexed column rebuilds the table (in a transaction), where SQLite’s DROP COLUMN refuses', async () => {
      const conn = await database.connect();
      await runOps(conn, (op) => op.createTable('T', [{ name: 'a', type: 'int' }, { name: 'b', type: 'int' }], { indexes: [{ columns: ['a'] }] }));
      await expect(q(conn, 'ALTER TABLE "T" DROP COLUMN "a"')).rejects.toThrow(/error in index ix_T_a after drop column/);
      await runInTransaction(conn, (op) => op.dropColumn('T', 'a'));
      expect((await q(conn, "SELECT name FROM pragma_table_xinfo('T')")).map((r) => r.name)).toEqual(['b']);
    });
  });
});
