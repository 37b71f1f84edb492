import { parseColumnType, type Op } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { mysqlOfflineSql } from './mysql-offline-sql.js';
import { MYSQL_OTHER_SERVER } from './mysql-other-server.js';

const int = parseColumnType('integer');
const table = (extra: object = {}) => ({ name: 't', columns: [{ name: 'id', type: int, nullable: false, primaryKey: true }], foreignKeys: [], uniqueConstraints: [], checkConstraints: [], indexes: [], ...extra });

describe('MYSQL_OTHER_SERVER: what MariaDB refuses of what the MySQL flavour writes', () => {
  const caveat = (op: Op) => MYSQL_OTHER_SERVER.caveat(op);

  it('DROP CHECK, NULL on a generated column (created, added, restated by MODIFY), an expression index; in a batch too', () => {
    const generated = { name: 'g', type: int, nullable: true, generated: { sql: 'id + 1', stored: false } };
    expect(caveat({ kind: 'DropConstraint', table: 't', name: 'ck', type: 'check' })).toBe('MariaDB has no DROP CHECK, only DROP CONSTRAINT');
    expect(caveat({ kind: 'CreateTable', table: table({ columns: [generated] }) })).toBe('MariaDB refuses NULL or NOT NULL on a generated column');
    expect(caveat({ kind: 'AddColumn', table: 't', column: generated })).toBe('MariaDB refuses NULL or NOT NULL on a generated column');
    expect(caveat({ kind: 'AlterColumn', table: 't', column: 'g', changes: { type: parseColumnType('bigint') }, existing: { generated: generated.generated } })).toBe(
      'MariaDB refuses NULL or NOT NULL on a generated column',
    );
    const expression = { name: 'ix', columns: [{ sql: '(lower(`s`))' }], unique: false };
    expect(caveat({ kind: 'CreateIndex', table: 't', index: expression })).toBe('MariaDB has no expression indexes');
    expect(caveat({ kind: 'CreateTable', table: table({ indexes: [expression] }) })).toBe('MariaDB has no expression indexes');
    expect(caveat({ kind: 'BatchAlterTable', table: 't', options: {}, ops: [{ kind: 'DropConstraint', table: 't', name: 'ck', type: 'check' }] } as unknown as Op)).toBe(
      'MariaDB has no DROP CHECK, only DROP CONSTRAINT',
    );
  });

  it('nothing for what MariaDB takes: other constraints dropped, plain columns and indexes, a default change of a generated column', () => {
    expect(caveat({ kind: 'DropConstraint', table: 't', name: 'uq', type: 'unique' })).toBeUndefined();
    expect(caveat({ kind: 'CreateTable', table: table() })).toBeUndefined();
    expect(caveat({ kind: 'CreateIndex', table: 't', index: { name: 'ix', columns: ['id', { sql: '`name`(10)' }], unique: false } })).toBeUndefined();
    expect(caveat({ kind: 'AlterColumn', table: 't', column: 'g', changes: { default: 1 }, existing: { generated: { sql: 'id + 1', stored: false } } })).toBeUndefined();
  });

  it("is the MySQL flavour's offline rule only", () => {
    expect(mysqlOfflineSql('mysql').otherServer).toBe(MYSQL_OTHER_SERVER);
    expect(mysqlOfflineSql('mariadb').otherServer).toBeUndefined();
  });
});
