import { DEFAULT_CAPABILITIES, parseColumnType, reverseOp, type Op } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { groupIntoBatches } from './group-into-batches.js';
import { renderRevisionBody } from './render-revision-body.js';

const SQLITE = { ...DEFAULT_CAPABILITIES, alterColumn: false, alterConstraints: false };
const INT = parseColumnType('integer');
const add = (table: string, name: string, schema?: string): Op => ({ kind: 'AddColumn', table, ...(schema ? { schema } : {}), column: { name, type: INT, nullable: true } });
const alter = (table: string, column: string): Op => ({ kind: 'AlterColumn', table, column, changes: { nullable: false }, existing: { nullable: true } });
const unique = (table: string): Op => ({ kind: 'CreateUniqueConstraint', table, name: `uq_${table}`, columns: ['a'] });

describe('groupIntoBatches', () => {
  it('batches each run of one table holding a change the dialect cannot ALTER; leaves the rest', () => {
    const ops: Op[] = [
      { kind: 'CreateTable', table: { name: 'n', columns: [{ name: 'a', type: INT, nullable: true }], foreignKeys: [], uniqueConstraints: [], checkConstraints: [], indexes: [] } },
      add('user', 'a'),
      alter('user', 'b'),
      { kind: 'CreateIndex', table: 'user', index: { name: 'ix', columns: ['a'], unique: false } },
      add('order', 'x'),
      unique('order'),
      add('tag', 'y'),
      { kind: 'RenameColumn', table: 'tag', column: 'y', newName: 'z' },
      alter('user', 'c'),
    ];
    const before = structuredClone(ops);
    expect(groupIntoBatches(ops, SQLITE)).toStrictEqual([
      ops[0],
      { kind: 'BatchAlterTable', table: 'user', ops: [ops[1], ops[2], ops[3]], options: {} },
      { kind: 'BatchAlterTable', table: 'order', ops: [ops[4], ops[5]], options: {} },
      ops[6],
      ops[7],
      { kind: 'BatchAlterTable', table: 'user', ops: [ops[8]], options: {} },
    ]);
    expect(ops).toStrictEqual(before);
  });

  it('a capable dialect gets the ops unchanged; schemas, irreversible markers and unbatchable ops end a run', () => {
    const ops: Op[] = [alter('user', 'a'), unique('user')];
    expect(groupIntoBatches(ops, DEFAULT_CAPABILITIES)).toStrictEqual(ops);
    const marker = reverseOp({ kind: 'Execute', sql: 'x', parameters: [] });
    const mixed = [alter('t', 'a'), add('t', 'b', 'app'), marker, alter('t', 'c'), { kind: 'CreateIndex', table: 't', index: { name: 'ix', columns: ['a'], unique: false }, ifNotExists: true } as Op];
    expect(groupIntoBatches(mixed, SQLITE)).toStrictEqual([
      { kind: 'BatchAlterTable', table: 't', ops: [mixed[0]], options: {} },
      mixed[1],
      marker,
      { kind: 'BatchAlterTable', table: 't', ops: [mixed[3]], options: {} },
      mixed[4],
    ]);
  });

  it('renderRevisionBody with SQLite capabilities renders the batch, and its reverse as a batch', () => {
    const { upgrades, downgrades } = renderRevisionBody({ upgradeOps: [add('user', 'a'), alter('user', 'b')], capabilities: SQLITE });
    expect(upgrades).toContain(
      [
        "await op.batchAlterTable('user', (batch) => {",
        "  batch.addColumn({ name: 'a', type: 'integer' });",
        "  batch.alterColumn('b', { nullable: false, existing: { nullable: true } });",
        '});',
      ].join('\n'),
    );
    expect(downgrades).toContain("await op.batchAlterTable('user', (batch) => {\n  batch.alterColumn('b', { nullable: true, existing: { nullable: false } });");
  });
});
