import { enumType, parseColumnType } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { sqliteTypeSubstitutions } from './sqlite-type-substitutions.js';

const of = (strict: boolean, ...types: (string | ReturnType<typeof enumType>)[]) =>
  sqliteTypeSubstitutions(types.map((t, i) => ({ table: 't', column: `c${i}`, type: parseColumnType(t), ...(strict ? { strict } : {}) }))).map((s) => [s.column, s.rendered, s.effect]);

describe('sqliteTypeSubstitutions', () => {
  it('says an enum checks no members, a STRICT table rounds exact decimals, an array cannot be stored; notes jsonb', () => {
    expect(of(false, "enum('sad','ok')", enumType('mood', ['a', 'bc']), "set('x','y')", 'text[]', 'jsonb', 'numeric(10,2)')).toEqual([
      ['c0', 'varchar(3)', 'loss'],
      ['c1', 'varchar(2)', 'loss'],
      ['c2', 'text', 'loss'],
      ['c3', 'text[]', 'fails'],
      ['c4', 'json', 'note'],
    ]);
    expect(of(true, 'numeric(10,2)', 'decimal', 'real', 'integer')).toEqual([
      ['c0', 'REAL', 'loss'],
      ['c1', 'REAL', 'loss'],
    ]);
  });

  it("says an enum's member changes are seen only through its longest member's length, and not at all in a STRICT table", () => {
    const reasons = (strict: boolean) => sqliteTypeSubstitutions([{ table: 't', column: 'c', type: parseColumnType("enum('s','m')"), strict }]).map((s) => s.reason);
    expect(reasons(false)).toEqual([
      "SQLite has no enum types: the column does not check its members, and autogenerate sees a change of them only when the longest member's length changes (add a check constraint to keep them)",
    ]);
    expect(reasons(true)).toEqual(['SQLite has no enum types: the column does not check its members, and autogenerate sees no change of them (add a check constraint to keep them)']);
  });

  it('keeps time zones, uuid and other declared types as written: nothing to say', () => {
    expect(of(false, 'timestamptz', 'timestamp with time zone', 'uuid', 'interval', 'varchar', 'boolean', 'bytea')).toEqual([]);
  });
});
