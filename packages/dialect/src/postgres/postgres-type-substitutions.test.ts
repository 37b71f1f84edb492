import { enumType, parseColumnType } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { postgresTypeSubstitutions } from './postgres-type-substitutions.js';

const of = (...types: (string | ReturnType<typeof enumType>)[]) =>
  postgresTypeSubstitutions(types.map((t, i) => ({ table: 't', column: `c${i}`, type: parseColumnType(t) }))).map((s) => [s.column, s.rendered, s.effect]);

describe('postgresTypeSubstitutions', () => {
  it('says an inline enum or SET checks no members and a datetime(7) keeps 6 digits; notes unsigned integers', () => {
    expect(of("enum('sad','ok')", "set('x','y')", 'datetime2(7)', 'int unsigned', 'bigint(20) unsigned')).toEqual([
      ['c0', 'varchar(3)', 'loss'],
      ['c1', 'text', 'loss'],
      ['c2', 'timestamp(6)', 'loss'],
      ['c3', 'bigint', 'note'],
      ['c4', 'numeric(20)', 'note'],
    ]);
  });

  it("says nothing of PostgreSQL's own types, named enums and mere spellings", () => {
    expect(of('timestamptz', 'timetz', 'numeric', 'jsonb', 'uuid', 'text[]', 'interval', 'varchar', enumType('mood', ['a']), 'nvarchar(40)', 'datetime(3)', 'tinyint(1)', 'blob')).toEqual([]);
  });
});
