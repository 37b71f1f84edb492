import { describe, expect, it } from 'vitest';
import { BindError, LockTimeoutError, MigrationError, RunError } from '../errors.js';
import { fromTransfer, toTransfer } from './thread-transfer.js';

/** What a value becomes after crossing to another thread (structured clone, as postMessage does). */
const across = (value: unknown): unknown => fromTransfer(structuredClone(toTransfer(value)));

describe('errors across threads', () => {
  it("revives a RunError as core's classes, with every field, message and cause", () => {
    const driver = Object.assign(new Error('no such table: Nope'), { name: 'SqliteError', code: 'SQLITE_ERROR' });
    const failure = new MigrationError({ bind: 't007', revision: 'c3c3', file: '/p/c3c3.ts', statement: 'INSERT INTO Nope VALUES (1)', at: ['b2b2'] }, driver);
    const unreachable = new BindError({ bind: 't011', action: 'connect', location: '/p/t011.db', doing: 'open', reason: 'file is not a database' });
    const lock = new LockTimeoutError('t020', 1000);
    const error = new RunError([failure], [{ bind: 't007', revision: 'd4d4' }], [unreachable], [{ bind: 't020', binds: ['t020'], at: [], error: lock }]);

    const back = across(error);
    expect(back).toBeInstanceOf(RunError);
    const run = back as RunError;
    expect(run.message).toBe(error.message);
    expect(run.code).toBe('RUN');
    expect(run.stack).toBe(error.stack);
    expect(run.failures[0]).toBeInstanceOf(MigrationError);
    expect(run.failures[0]).toMatchObject({ bind: 't007', revision: 'c3c3', file: '/p/c3c3.ts', statement: 'INSERT INTO Nope VALUES (1)', at: ['b2b2'], code: 'MIGRATION', name: 'MigrationError' });
    // A driver's error is not core's: an Error with its name, message and fields.
    expect(run.failures[0]!.cause).toBeInstanceOf(Error);
    expect(run.failures[0]!.cause).toMatchObject({ name: 'SqliteError', message: 'no such table: Nope', code: 'SQLITE_ERROR' });
    expect(run.unreachable[0]).toBeInstanceOf(BindError);
    expect(run.unreachable[0]).toMatchObject({ bind: 't011', action: 'connect', location: '/p/t011.db' });
    expect(run.stopped[0]!.error).toBeInstanceOf(LockTimeoutError);
    expect(run.stopped[0]).toMatchObject({ bind: 't020', binds: ['t020'], at: [] });
    expect(run.skipped).toEqual([{ bind: 't007', revision: 'd4d4' }]);
    expect(Object.keys(run).sort()).toEqual(Object.keys(error).sort());
  });

  it('keeps events, maps and plain data as they were', () => {
    const event = { type: 'step-failed', bind: 'db2', revision: 'b2', error: new Error('boom') };
    const back = across(event) as typeof event;
    expect(back.error).toBeInstanceOf(Error);
    expect(back.error.message).toBe('boom');
    expect({ ...back, error: undefined }).toEqual({ ...event, error: undefined });
    expect(across({ heads: new Map([['db2', ['b2']]]), n: 1, s: 'x', none: null })).toEqual({ heads: new Map([['db2', ['b2']]]), n: 1, s: 'x', none: null });
  });
});
