import { describe, expect, it } from 'vitest';
import {
  BindError,
  DowngradeTargetError,
  MigrationError,
  RunError,
  SharedBranchError,
  UnknownBindError,
  listSome,
} from './errors.js';

const tenants = Array.from({ length: 2000 }, (_, i) => `t${i + 1}`);

describe('errors that list binds cap the list in the message and keep it whole on the error', () => {
  it('listSome shows 20 names then how many more', () => {
    expect(listSome(['a', 'b'])).toBe('a, b');
    expect(listSome(tenants.slice(0, 20))).toBe(tenants.slice(0, 20).join(', '));
    expect(listSome(tenants.slice(0, 21))).toBe(`${tenants.slice(0, 20).join(', ')} and 1 more`);
    expect(listSome(['a', 'b', 'c'], 2, '; ')).toBe('a; b and 1 more');
  });

  it('SharedBranchError, UnknownBindError, DowngradeTargetError', () => {
    const shared = new SharedBranchError('downgrade', 'c1', 'tenant', tenants, 't1@c1');
    expect(shared.binds).toHaveLength(2000);
    expect(shared.message).toContain('t20 and 1980 more), which share it');
    expect(shared.message).not.toContain('t21');
    const unknown = new UnknownBindError('x', tenants);
    expect(unknown.known).toHaveLength(2000);
    expect(unknown.message).toBe(`Unknown bind 'x'. Configured binds: ${tenants.slice(0, 20).join(', ')} and 1980 more.`);
    const target = new DowngradeTargetError('abc', tenants.map((bind) => ({ bind, heads: ['r1'] })));
    expect(target.binds).toHaveLength(2000);
    expect(target.message).toContain(`'t20' and 1980 more: destination 'abc'`);
    expect(target.message).toContain('t20: r1 and 1980 more: it is not applied');
    expect(target.message).not.toContain('t21');
  });

  it('RunError names 20 failed binds, then how many more; failures and skipped stay whole', () => {
    const failures = tenants.map((bind) => new MigrationError({ bind, revision: 'r1' }, new Error('boom')));
    const unreachable = [new BindError({ bind: 'down1', action: 'connect', doing: 'connect to', reason: 'refused' })];
    const run = new RunError(failures, tenants.map((bind) => ({ bind, revision: 'r2' })), unreachable);
    expect(run.failures).toHaveLength(2000);
    expect(run.skipped).toHaveLength(2000);
    const lines = run.message.split('\n');
    expect(lines[0]).toBe('2001 binds failed:');
    expect(lines).toHaveLength(1 + 20 + 1 + 1);
    expect(lines[1]).toContain('down1');
    expect(lines[21]).toBe('  and 1981 more failed bind(s) (see failures, stopped and unreachable)');
    expect(lines[22]).toContain('[t20] r2 and 1980 more');
  });
});
