import { describe, expect, it } from 'vitest';
import { describeOp, transactionControl } from './revision-progress.js';
import { effectCanBeTold, opEffect } from './op-effect.js';
import type { TableSnapshot } from '../schema/table-snapshot.js';
import { parseColumnType } from '../schema/column-type.js';

describe('transactionControl', () => {
  it("tells the statements that begin or end the session's transaction from the rest, savepoints and MariaDB's compound BEGIN NOT ATOMIC included", () => {
    expect(['BEGIN', 'begin;', ' Begin Work', '/* x */ START TRANSACTION', 'start transaction read only', 'START TRANSACTION WITH CONSISTENT SNAPSHOT'].map(transactionControl)).toEqual(['begin', 'begin', 'begin', 'begin', 'begin', 'begin']);
    expect(['COMMIT', 'commit work', 'ROLLBACK', 'rollback;', 'COMMIT AND NO CHAIN', 'ROLLBACK RELEASE'].map(transactionControl)).toEqual(['end', 'end', 'end', 'end', 'end', 'end']);
    expect(['ROLLBACK TO SAVEPOINT a', 'rollback to a', 'SAVEPOINT a', 'RELEASE SAVEPOINT a', 'BEGIN NOT ATOMIC SELECT 1; END', 'BEGINNING', 'SELECT 1', 'CREATE TABLE t (id int)'].map(transactionControl)).toEqual(
      Array(8).fill(undefined),
    );
  });
});

describe('describeOp', () => {
  it('names the op and what it acts on', () => {
    expect(describeOp({ kind: 'DropTable', table: 'Genre' })).toBe('dropTable Genre');
    expect(describeOp({ kind: 'DropColumn', table: 'Invoice', column: 'Currency' })).toBe('dropColumn Invoice.Currency');
    expect(describeOp({ kind: 'DropIndex', table: 'Invoice', name: 'ix_a' })).toBe('dropIndex Invoice ix_a');
    expect(describeOp({ kind: 'Execute', sql: 'ALTER  TABLE t\n ADD x int' })).toBe('execute ALTER TABLE t ADD x int');
    expect(describeOp({ kind: 'CreateEnum', name: 'mood', values: ['a'] })).toBe('createEnum mood');
  });
});

describe('opEffect', () => {
  const t: TableSnapshot = {
    name: 'Invoice',
    columns: [{ name: 'InvoiceId', type: parseColumnType('integer'), nullable: false }, { name: 'Total', type: parseColumnType('integer'), nullable: true }],
    foreignKeys: [],
    uniqueConstraints: [],
    checkConstraints: [],
    indexes: [{ name: 'ix_total', columns: ['Total'], unique: false }],
  };
  const live = { snapshot: async (name: string) => (name === 'Invoice' ? t : undefined) };
  const column = { name: 'Currency', type: parseColumnType('varchar(3)'), nullable: true };

  it('finds the effect of a DDL op in the live tables', async () => {
    expect(await opEffect({ kind: 'CreateTable', table: { ...t, name: 'Invoice' } }, live)).toBe('done');
    expect(await opEffect({ kind: 'CreateTable', table: { ...t, name: 'Other' } }, live)).toBe('not-done');
    expect(await opEffect({ kind: 'AddColumn', table: 'Invoice', column: { ...column, name: 'total' } }, live)).toBe('done');
    expect(await opEffect({ kind: 'AddColumn', table: 'Invoice', column }, live)).toBe('not-done');
    expect(await opEffect({ kind: 'DropColumn', table: 'Invoice', column: 'Currency' }, live)).toBe('done');
    expect(await opEffect({ kind: 'RenameColumn', table: 'Invoice', column: 'Amount', newName: 'Total' }, live)).toBe('done');
    expect(await opEffect({ kind: 'RenameTable', table: 'Invoice', newName: 'Bill' }, live)).toBe('not-done');
    expect(await opEffect({ kind: 'DropIndex', table: 'Invoice', name: 'ix_total' }, live)).toBe('not-done');
    expect(await opEffect({ kind: 'DropTable', table: 'Gone' }, live)).toBe('done');
  });

  it('tells a renamed index by which of its two names the table has', async () => {
    expect(await opEffect({ kind: 'RenameIndex', table: 'Invoice', name: 'ix_amount', newName: 'IX_TOTAL' }, live)).toBe('done');
    expect(await opEffect({ kind: 'RenameIndex', table: 'Invoice', name: 'ix_total', newName: 'ix_amount' }, live)).toBe('not-done');
    // Neither name (SQLite dropped the index and stopped before creating it), or both: cannot tell.
    expect(await opEffect({ kind: 'RenameIndex', table: 'Invoice', name: 'ix_a', newName: 'ix_b' }, live)).toBe('unknown');
    expect(await opEffect({ kind: 'RenameIndex', table: 'Invoice', name: 'ix_total', newName: 'ix_total' }, live)).toBe('unknown');
    expect(await opEffect({ kind: 'RenameIndex', table: 'Gone', name: 'ix_a', newName: 'ix_b' }, live)).toBe('unknown');
    expect(effectCanBeTold({ kind: 'RenameIndex', table: 'Invoice', name: 'ix_a', newName: 'ix_b' })).toBe(true);
  });

  it('says which ops it can judge: their done mark may be left to the next write', async () => {
    const untold = [
      { kind: 'Execute', sql: 'ALTER TABLE Invoice ADD x int' },
      { kind: 'BulkInsert', table: 'Invoice', rows: [] },
      { kind: 'CreateEnum', name: 'mood', values: ['a'] },
    ] as const;
    for (const op of untold) {
      expect(effectCanBeTold(op)).toBe(false);
      expect(await opEffect(op, live)).toBe('unknown');
    }
    expect(effectCanBeTold({ kind: 'CreateTable', table: t })).toBe(true);
    expect(effectCanBeTold({ kind: 'RenameColumn', table: 'Invoice', column: 'Amount', newName: 'Total' })).toBe(true);
  });

  it('cannot judge raw SQL or data, and sends a restated column again', async () => {
    expect(await opEffect({ kind: 'Execute', sql: 'ALTER TABLE Invoice ADD x int' }, live)).toBe('unknown');
    expect(await opEffect({ kind: 'BulkInsert', table: 'Invoice', rows: [] }, live)).toBe('unknown');
    expect(await opEffect({ kind: 'AlterColumn', table: 'Invoice', column: 'Total', changes: { nullable: false }, existing: {} }, live)).toBe('not-done');
  });
});
