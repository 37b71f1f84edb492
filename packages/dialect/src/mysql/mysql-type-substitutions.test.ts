import { parseColumnType } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { mysqlTypeSubstitutions } from './mysql-type-substitutions.js';

const of = (flavour: 'mysql' | 'mariadb', ...types: string[]) =>
  mysqlTypeSubstitutions(flavour)(types.map((t, i) => ({ table: 't', column: `c${i}`, type: parseColumnType(t) }))).map((s) => [s.column, s.rendered, s.effect]);

describe('mysqlTypeSubstitutions', () => {
  it('says what MySQL/MariaDB loses of PostgreSQL types, notes uuid and jsonb, and what it cannot write', () => {
    expect(of('mariadb', 'timestamptz', 'timestamp(3) with time zone', 'timetz', 'time without time zone', 'timestamp(6) without time zone', 'numeric', 'jsonb', 'uuid', 'text[]', 'varchar')).toEqual([
      ['c0', 'datetime', 'loss'],
      ['c1', 'datetime(3)', 'loss'],
      ['c2', 'time', 'loss'],
      ['c3', 'time', 'loss'],
      ['c5', 'decimal', 'loss'],
      ['c6', 'json', 'note'],
      ['c7', 'char(36)', 'note'],
      ['c8', 'text[]', 'fails'],
      ['c9', 'varchar', 'fails'],
    ]);
  });

  it("leaves MySQL's own types and mere spellings alone", () => {
    expect(of('mysql', 'datetime', 'datetime(6)', 'timestamp', 'decimal', 'numeric(10,2)', 'integer', 'boolean', 'nvarchar(40)', 'real', 'bytea', "enum('a','b')", 'json', 'interval')).toEqual([]);
  });

  it('names the flavour in the reason', () => {
    const [mysql] = mysqlTypeSubstitutions('mysql')([{ table: 't', column: 'at', type: parseColumnType('timestamp(6) with time zone') }]);
    expect(mysql?.reason).toBe('MySQL has no time zone types: values are stored without their time zone');
  });
});
