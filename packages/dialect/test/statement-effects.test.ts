// Dialect.statementEffects: for an op of several statements on a dialect whose DDL commits
// implicitly (MySQL, MariaDB), the op each statement performs alone, one per compiled statement,
// so a run stopped between them resumes at the next statement (core's RevisionProgress). Checked
// against the statements each flavour compiles; resuming on a real server: test/dialects/resumable.test.ts.
import { parseColumnType, type TableSnapshot } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { MYSQL } from './support/dialects.js';
import { buildOps, context, type RevisionBody } from './support/op-harness.js';

const t = (s: string) => parseColumnType(s);
const live: TableSnapshot = {
  name: 'T',
  columns: [
    { name: 'id', type: t('int'), nullable: false },
    { name: 'a', type: t('int'), nullable: true, default: 1 },
    { name: 'p_id', type: t('int'), nullable: true },
  ],
  primaryKey: { columns: ['id'] },
  foreignKeys: [{ name: 'fk_T_p', columns: ['p_id'], referredTable: 'P', referredColumns: ['id'] }],
  uniqueConstraints: [],
  checkConstraints: [],
  indexes: [],
};

const cases: { name: string; body: RevisionBody; kinds: string[] }[] = [
  { name: 'alterColumn changing the default and the name: the default change, then the rename', body: (op) => op.alterColumn('T', 'a', { default: 2, newName: 'b' }), kinds: ['AlterColumn', 'RenameColumn'] },
  { name: 'alterColumn changing only the name', body: (op) => op.alterColumn('T', 'a', { newName: 'b' }), kinds: ['RenameColumn'] },
  { name: 'alterColumn restating the column (one MODIFY/CHANGE COLUMN)', body: (op) => op.alterColumn('T', 'a', { type: 'bigint', newName: 'b' }), kinds: ['AlterColumn'] },
  { name: 'dropConstraint of a foreign key with the index InnoDB made for it (one ALTER)', body: (op) => op.dropConstraint('fk_T_p', 'T', { type: 'foreignkey' }), kinds: ['DropConstraint'] },
  {
    name: 'a batch: its inner ops in order, an alterColumn of two statements counted twice',
    body: (op) =>
      op.batchAlterTable('T', (b) => {
        b.addColumn({ name: 'x', type: 'integer' });
        b.alterColumn('a', { default: null, newName: 'b' });
        b.dropConstraint('fk_T_p', { type: 'foreignkey' });
        b.alterColumn('x', { nullable: false });
      }),
    kinds: ['AddColumn', 'AlterColumn', 'RenameColumn', 'DropConstraint', 'AlterColumn'],
  },
];

for (const [flavour, dialect] of MYSQL.flavours) {
  describe(`${flavour}: statementEffects`, () => {
    for (const c of cases) {
      it(c.name, async () => {
        const [op] = await buildOps(dialect, c.body);
        const statements = dialect.compile(op!, context([live]));
        const effects = dialect.statementEffects!(op!);
        expect(effects.map((e) => e.kind)).toEqual(c.kinds);
        expect(effects).toHaveLength(statements.length);
      });
    }

    it('the default change of a split alterColumn carries only the default; the rename names both columns', async () => {
      const [op] = await buildOps(dialect, (o) => o.alterColumn('T', 'a', { default: 2, newName: 'b' }));
      expect(dialect.statementEffects!(op!)).toEqual([
        { kind: 'AlterColumn', table: 'T', column: 'a', changes: { default: 2 }, existing: {} },
        { kind: 'RenameColumn', table: 'T', column: 'a', newName: 'b' },
      ]);
    });
  });
}
