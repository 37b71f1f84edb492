import { parseColumnType, type Op } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { reverseOps } from './reverse-ops.js';

describe('reverseOps', () => {
  it('reverses each op with reverseOp, last first, and marks what cannot be reversed; the input is unchanged', () => {
    const ops: Op[] = [
      { kind: 'AddColumn', table: 'u', column: { name: 'c', type: parseColumnType('integer'), nullable: true } },
      { kind: 'Execute', sql: 'UPDATE u SET c = 1', parameters: [] },
      { kind: 'RenameTable', table: 'u', newName: 'v' },
    ];
    const before = structuredClone(ops);
    expect(reverseOps(ops)).toStrictEqual([
      { kind: 'RenameTable', table: 'v', newName: 'u' },
      { kind: 'Irreversible', op: ops[1], reason: 'execute() runs arbitrary SQL' },
      { kind: 'DropColumn', table: 'u', column: 'c', existing: { type: parseColumnType('integer'), nullable: true } },
    ]);
    expect(ops).toStrictEqual(before);
    expect(reverseOps([])).toEqual([]);
  });
});
