import { enumType, type TableSnapshot } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { compareSchemas } from './compare-schemas.js';
import { applyOps } from '../testing/apply-ops.js';
import { roundTrip } from '../testing/round-trip.js';
import { col, db, model, options, POSTGRES_LIKE, reflected, SQLITE_LIKE, summary } from '../testing/snapshot-fixture.js';

const name = (i: number) => `t${String(i).padStart(4, '0')}`;

/** `n` tables, each with 10 columns and an index, each referring to the next (so name order is the wrong order). */
function chain(n: number): TableSnapshot[] {
  return Array.from({ length: n }, (_, i) =>
    model(
      name(i),
      [
        { name: 'id', type: 'integer', primaryKey: true },
        ...(i + 1 < n ? [{ name: 'next_id', type: 'integer', references: `${name(i + 1)}.id` }] : []),
        ...Array.from({ length: 8 }, (_, c) => ({ name: `c${c}`, type: 'varchar(20)' })),
      ],
      { indexes: [{ columns: ['c0'] }] },
    ),
  );
}

describe('compareSchemas: order of the ops', () => {
  it('creates a 1,000-table foreign-key chain referred tables first, and drops it in reverse', () => {
    const tables = chain(1000);
    const created = roundTrip(db(tables), db([]), options());
    expect(created.comparison.ops.map((o) => (o.kind === 'CreateTable' ? o.table.name : o.kind))).toEqual(tables.map((t) => t.name).reverse());
    expect(created.remainingAfterUpgrade).toEqual([]);
    expect(created.remainingAfterDowngrade).toEqual([]);

    const dropped = roundTrip(db([]), db(tables), options({ dropUnmodeledTables: true }));
    expect(dropped.comparison.ops.map((o) => (o.kind === 'DropTable' ? o.table : o.kind))).toEqual(tables.map((t) => t.name));
    expect(dropped.remainingAfterDowngrade).toEqual([]);
  });

  it('breaks a foreign-key cycle between new tables with a separate CreateForeignKey', () => {
    const a = model('a', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'b_id', type: 'integer', references: 'b.id' }]);
    const b = model('b', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'a_id', type: 'integer' }], {
      foreignKeys: [{ columns: ['a_id'], referredTable: 'a', referredColumns: ['id'] }],
    });
    const c = model('c', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'a_id', type: 'integer', references: 'a.id' }]);
    const r = roundTrip(db([c, b, a]), db([]), options());
    expect(summary(r.comparison.ops)).toEqual(['CreateTable a', 'CreateTable b', 'CreateTable c', 'CreateForeignKey a fk_a_b_id_b']);
    const createA = r.comparison.ops[0]!;
    expect(createA.kind === 'CreateTable' && createA.table.columns.find((x) => x.name === 'b_id')).toEqual(col('b_id', 'integer'));
    expect(r.comparison.changes.map((x) => x.line)).toEqual(["Detected added table 'a'", "Detected added table 'b'", "Detected added table 'c'"]);
    expect(r.remainingAfterUpgrade).toEqual([]);
    expect(r.remainingAfterDowngrade).toEqual([]);
    // Creating the tables as they are, in any order, would fail.
    expect(() => applyOps(db([]), [{ kind: 'CreateTable', table: a }], { enforceForeignKeys: true })).toThrow(/missing table b/);
  });

  it('drops a foreign key of a cycle before dropping its tables', () => {
    const a = model('a', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'b_id', type: 'integer', references: 'b.id' }]);
    const b = model('b', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'a_id', type: 'integer', references: 'a.id' }]);
    const r = roundTrip(db([]), db([a, b]), options({ dropUnmodeledTables: true }));
    expect(summary(r.comparison.ops)).toEqual(['DropConstraint a fk_a_b_id_b', 'DropTable b', 'DropTable a']);
    expect(r.remainingAfterDowngrade).toEqual([]);
  });

  it('needs no break for a table that refers to itself', () => {
    const node = model('node', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'parent_id', type: 'integer', references: 'node.id' }]);
    expect(summary(compareSchemas(db([node]), db([]), options()).ops)).toEqual(['CreateTable node']);
  });

  it('keeps a cycle inside its tables where constraints cannot be added later (SQLite)', () => {
    const a = model('a', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'b_id', type: 'integer', references: 'b.id' }]);
    const b = model('b', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'a_id', type: 'integer', references: 'a.id' }]);
    const r = roundTrip(db([a, b]), db([]), options({ capabilities: SQLITE_LIKE }));
    expect(summary(r.comparison.ops)).toEqual(['CreateTable a', 'CreateTable b']);
    expect(r.remainingAfterUpgrade).toEqual([]);
  });

  it('orders a mixed revision: enums, foreign-key drops, table changes, new tables, foreign keys, drops', () => {
    const status = { name: 'status', values: ['open', 'closed'] };
    const oldKind = { name: 'old_kind', values: ['x'] };
    const account = model('account', [{ name: 'id', type: 'integer', primaryKey: true }]);
    const legacy = model('legacy', [{ name: 'id', type: 'integer', primaryKey: true }]);
    const ticketBefore = model('ticket', [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'legacy_id', type: 'integer', references: 'legacy.id' },
      { name: 'kind', type: enumType('old_kind', ['x']) },
    ]);
    const ticketAfter = model('ticket', [
      { name: 'id', type: 'integer', primaryKey: true },
      { name: 'status', type: enumType('status', ['open', 'closed']) },
      { name: 'account_id', type: 'integer', references: 'account.id' },
    ]);
    const comment = model('comment', [{ name: 'id', type: 'integer', primaryKey: true }, { name: 'ticket_id', type: 'integer', references: 'ticket.id' }]);
    const r = roundTrip(
      db([comment, ticketAfter, account], [status]),
      db([ticketBefore, legacy], [oldKind]),
      options({
        capabilities: POSTGRES_LIKE,
        dropUnmodeledTables: true,
        // Same shapes: autogenerate asks whether these are renames. They are not.
        renames: { reject: ['legacy=account', 'ticket.legacy_id=ticket.account_id'] },
      }),
    );
    expect(summary(r.comparison.ops)).toEqual([
      'CreateEnum status',
      'DropConstraint ticket fk_ticket_legacy_id_legacy',
      'AddColumn ticket.status',
      'AddColumn ticket.account_id',
      'DropColumn ticket.legacy_id',
      'DropColumn ticket.kind',
      'CreateTable account',
      'CreateTable comment',
      'CreateForeignKey ticket fk_ticket_account_id_account',
      'DropTable legacy',
      'DropEnum old_kind',
    ]);
    expect(r.remainingAfterUpgrade).toEqual([]);
    expect(r.remainingAfterDowngrade).toEqual([]);
  });

  it('applies and reverses cleanly on every kind of dialect, whatever changed', () => {
    const before = [
      reflected(
        'user',
        [col('id', 'integer', { primaryKey: true, nullable: false }), col('email', 'varchar(64)', { unique: true }), col('age', 'integer', { default: 0 })],
        { indexes: [{ name: 'ix_user_age', columns: ['age'], unique: false }], checkConstraints: [{ expression: 'age >= 0' }] },
      ),
      reflected('post', [col('id', 'integer', { primaryKey: true, nullable: false }), col('user_id', 'integer', { references: { table: 'user', column: 'id' } }), col('body', 'text')]),
    ];
    const after = [
      model('user', [
        { name: 'id', type: 'integer', primaryKey: true },
        { name: 'email', type: 'varchar(128)', nullable: false },
        { name: 'nick', type: 'text', unique: true },
      ], { checkConstraints: [{ name: 'ck_user_nick', expression: "nick <> ''" }], indexes: [{ columns: ['email'], unique: true }] }),
      model('post', [
        { name: 'id', type: 'integer', primaryKey: true },
        { name: 'user_id', type: 'integer', references: { table: 'user', column: 'id', onDelete: 'cascade' } },
        { name: 'body', type: 'text', default: '' },
      ], { indexes: [{ columns: ['user_id'] }] }),
      model('tag', [{ name: 'post_id', type: 'integer', references: 'post.id' }, { name: 'tag', type: 'text' }], { primaryKey: ['post_id', 'tag'] }),
    ];
    for (const capabilities of [options().capabilities, POSTGRES_LIKE, SQLITE_LIKE]) {
      const r = roundTrip(db(after), db(before), options({ capabilities }));
      expect(r.comparison.ops.length).toBeGreaterThan(2);
      expect(r.remainingAfterUpgrade).toEqual([]);
      expect(r.remainingAfterDowngrade).toEqual([]);
    }
  });
});
