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

  it('keeps time zones, uuid and other declared types as written: nothing to say', () => {
    expect(of(false, 'timestamptz', 'timestamp with time zone', 'uuid', 'interval', 'varchar', 'boolean', 'bytea')).toEqual([]);
  });
});
