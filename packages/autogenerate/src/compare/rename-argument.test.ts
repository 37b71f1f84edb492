import { describe, expect, it } from 'vitest';
import { formatRenameArgument, parseRenameArgument, type RenameArgument } from './rename-argument.js';
import { RenameArgumentError } from './rename-argument-error.js';

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

describe('parseRenameArgument', () => {
  it('reads a table rename, with and without a schema', () => {
    expect(parseRenameArgument('users=members')).toEqual({ kind: 'table', table: 'users', newName: 'members' });
    expect(parseRenameArgument('sales.users=members')).toEqual({ kind: 'table', schema: 'sales', table: 'users', newName: 'members' });
  });

  it('reads a column rename, with and without a schema', () => {
    expect(parseRenameArgument('users.name=users.full_name')).toEqual({ kind: 'column', table: 'users', column: 'name', newName: 'full_name' });
    expect(parseRenameArgument('s.users.name = s.users.full_name')).toEqual({ kind: 'column', schema: 's', table: 'users', column: 'name', newName: 'full_name' });
  });

  it('reads quoted names holding dots, equals signs, quotes and spaces', () => {
    expect(parseRenameArgument('"my.table"."a=b"="my.table"."say ""hi"""')).toEqual({
      kind: 'column',
      table: 'my.table',
      column: 'a=b',
      newName: 'say "hi"',
    });
  });

  it.each([
    ['users', "exactly one '='"],
    ['a=b=c', "exactly one '='"],
    ['=b', 'a name is empty'],
    ['a.=b', 'a name is empty'],
    ['users.name=people.name', 'keeps its table'],
    ['a.b.c.d=a.b.c.e', 'wrong number of names'],
    ['s.t.c=d', 'wrong number of names'],
    ['t.c=t.d.e', 'wrong number of names'],
    ['"open=b', 'not closed'],
    ['my table=b', 'space inside a name'],
  ])('refuses %j', (text, why) => {
    const error = thrown(() => parseRenameArgument(text));
    expect(error).toBeInstanceOf(RenameArgumentError);
    expect((error as RenameArgumentError).argument).toBe(text);
    expect(error.message).toContain(why);
    expect(error.message).toContain('table.old=table.new');
  });
});

describe('formatRenameArgument', () => {
  const cases: RenameArgument[] = [
    { kind: 'table', table: 'users', newName: 'members' },
    { kind: 'table', schema: 'sales', table: 'users', newName: 'members' },
    { kind: 'column', table: 'users', column: 'name', newName: 'full_name' },
    { kind: 'column', schema: 's', table: 'users', column: 'name', newName: 'full_name' },
    { kind: 'column', table: 'my.table', column: 'a=b', newName: 'say "hi"' },
    { kind: 'table', table: 'Order Lines', newName: 'OrderLine' },
  ];

  it('writes the documented forms', () => {
    expect(cases.map(formatRenameArgument)).toEqual([
      'users=members',
      'sales.users=members',
      'users.name=users.full_name',
      's.users.name=s.users.full_name',
      '"my.table"."a=b"="my.table"."say ""hi"""',
      '"Order Lines"=OrderLine',
    ]);
  });

  it.each(cases)('reads back what it writes: %j', (rename) => {
    expect(parseRenameArgument(formatRenameArgument(rename))).toEqual(rename);
  });
});
