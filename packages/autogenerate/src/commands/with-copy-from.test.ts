import { OfflineSnapshots, parseColumnType, type BatchAlterTableOp, type TableSnapshot } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { reverseOps } from '../render/reverse-ops.js';
import { withCopyFrom } from './with-copy-from.js';

const table = (name: string, columns: string[]): TableSnapshot => ({
  name,
  columns: columns.map((c) => ({ name: c, type: parseColumnType('integer'), nullable: true })),
  foreignKeys: [],
  uniqueConstraints: [],
  checkConstraints: [],
  indexes: [],
});
const batch = (name: string): BatchAlterTableOp => ({
  kind: 'BatchAlterTable',
  table: name,
  ops: [{ kind: 'AlterColumn', table: name, column: 'a', changes: { nullable: false }, existing: { type: parseColumnType('integer'), nullable: true } }],
  options: {},
});

describe('withCopyFrom', () => {
  it('gives copyFrom only to batches of tables offline mode does not know (made before the first revision)', () => {
    const known = new OfflineSnapshots();
    known.observe({ kind: 'CreateTable', table: table('made', ['a']) }); // an earlier revision made it
    const database = { tables: [table('adopted', ['a', 'b']), table('made', ['a'])], enums: [], objects: [] };
    const ops = [batch('adopted'), batch('made')];
    const { upgradeOps, downgradeOps } = withCopyFrom(ops, reverseOps(ops), { known, database, models: database });
    expect((upgradeOps[0] as BatchAlterTableOp).options.copyFrom).toEqual(database.tables[0]);
    expect((upgradeOps[1] as BatchAlterTableOp).options).toEqual({});
    // The upgrade, followed, makes 'adopted' known: its downgrade needs none.
    expect(downgradeOps.map((op) => (op as BatchAlterTableOp).options)).toEqual([{}, {}]);
    expect(ops[0]!.options).toEqual({}); // inputs unchanged
  });
});
