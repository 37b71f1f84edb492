import { BindError, BindRequiredError, InterruptedError, LockTimeoutError, MigrationError, MultidbError, RevisionError, RunError, TargetUsageError } from '@multidb/core';
import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { exitCodeOf } from './exit-codes.js';
import { UsageError } from './usage-error.js';

describe('exitCodeOf', () => {
  it('maps by type: usage 2, lock timeout 3, anything else 1', () => {
    expect(exitCodeOf(new CommanderError(1, 'commander.unknownOption', 'x'))).toBe(2);
    expect(exitCodeOf(new CommanderError(0, 'commander.version', '0.1.0'))).toBe(0);
    expect(exitCodeOf(new UsageError('x'))).toBe(2);
    expect(exitCodeOf(new BindRequiredError("'downgrade'", ['a', 'b']))).toBe(2);
    expect(exitCodeOf(new TargetUsageError("'-1' steps down; use 'downgrade -1'."))).toBe(2);
    expect(exitCodeOf(new RevisionError('a plan that cannot be made'))).toBe(1);
    expect(exitCodeOf(new LockTimeoutError('db2', 1000))).toBe(3);
    expect(exitCodeOf(new MultidbError('no', 'CONFIG'))).toBe(1);
    expect(exitCodeOf(new Error('usage'))).toBe(1);
  });

  it('a run with --concurrency: 3 when every failed bind timed out waiting for its lock, 1 when anything else failed too', () => {
    const lock = (bind: string) => ({ bind, binds: [bind], at: [], error: new LockTimeoutError(bind, 1000) });
    expect(exitCodeOf(new RunError([], [], [], [lock('db2')]))).toBe(3);
    expect(exitCodeOf(new RunError([], [], [], [lock('db2'), lock('db3')]))).toBe(3);
    const failure = new MigrationError({ bind: 'db3', revision: 'a1', direction: 'up' }, new Error('boom'));
    expect(exitCodeOf(new RunError([failure], [], [], [lock('db2')]))).toBe(1);
    const unreachable = new BindError({ bind: 'db3', action: 'connect', doing: 'connect to', location: 'sqlite:x.db', reason: 'gone' });
    expect(exitCodeOf(new RunError([], [], [unreachable], [lock('db2')]))).toBe(1);
    const other = { bind: 'db3', binds: ['db3'], at: [], error: new RevisionError("Can't locate revision 'ffff'") };
    expect(exitCodeOf(new RunError([], [], [], [lock('db2'), other]))).toBe(1);
    expect(exitCodeOf(new RunError([], [], [], [lock('db2')], [], new InterruptedError({ reason: 'SIGINT' })))).toBe(1);
  });

  it('a run a signal stopped: 130 for SIGINT (or any other reason), 143 for SIGTERM', () => {
    expect(exitCodeOf(new InterruptedError({ reason: 'SIGINT' }))).toBe(130);
    expect(exitCodeOf(new InterruptedError({ reason: 'SIGTERM' }))).toBe(143);
    expect(exitCodeOf(new InterruptedError({ reason: new Error('deploy cancelled') }))).toBe(130);
  });
});
