import { InterruptedError, LockTimeoutError, MigrationError, MultidbError, RunError, UnknownBindError, oneLine } from '@multidb/core';
import { CodegenAfterRunError } from '@multidb/autogenerate';
import { describe, expect, it } from 'vitest';
import { errorJson, lockHolderJson, printJson } from './json-output.js';
import { formatError } from './main.js';
import { MaskingOutput } from './output.js';

describe('errorJson', () => {
  it('carries the message (URL masked), the bind and the code', () => {
    expect(errorJson(new UnknownBindError('db9', ['default', 'db2']))).toEqual({
      error: { message: "Unknown bind 'db9' (did you mean 'db2'?). Configured binds: default, db2.", bind: 'db9', code: 'UNKNOWN_BIND' },
    });
    expect(errorJson(new Error('cannot reach postgres://app:pw9x@h/db'))).toEqual({ error: { message: 'cannot reach postgres://app:***@h/db' } });
  });

  it("takes the bind from a bind error's '[bind]' prefix when it has no bind field (a driver's connect error)", () => {
    expect(errorJson(new MultidbError('[db2] cannot connect to postgres://app:***@h/db: refused', 'CONNECT')).error).toMatchObject({ bind: 'db2', code: 'CONNECT' });
    expect(errorJson(new MultidbError('[not a bind] x')).error.bind).toBeUndefined();
  });

  it('lists the failures of a concurrent run, each with its revision, and the steps the run completed', () => {
    const done = { bind: 'b', revision: 'r1', direction: 'up' as const, elapsedMs: 3 };
    const other = { bind: 'a', revision: 'a1', direction: 'up' as const, elapsedMs: 2 };
    const failure = new MigrationError({ bind: 'b', revision: 'r2', direction: 'up', file: '/m/r2.ts', at: ['r1'], completed: [done] }, new Error('boom'));
    const doc = errorJson(new RunError([failure], [], [], [], [other, done]));
    expect(doc.error.code).toBe('RUN');
    expect(doc.error.steps).toEqual([other, done]);
    expect(doc.error.failures).toEqual([{ message: oneLine(failure.message), bind: 'b', code: 'MIGRATION', revision: 'r2', direction: 'up', at: ['r1'], file: '/m/r2.ts', steps: [done] }]);
  });

  it("a failed revision: its revision, direction, where its bind stays, file, line, SQL (URLs masked) and the steps before it", () => {
    const done = { bind: 'a', revision: 'a1', direction: 'down' as const, elapsedMs: 1.5 };
    const failure = new MigrationError(
      { bind: 'b', revision: 'r2', direction: 'down', file: '/m/r2.ts', line: 12, at: ['r2'], statement: "INSERT INTO t VALUES ('postgres://app:pw9x@h/db')", completed: [done] },
      new Error('boom'),
    );
    expect(errorJson(failure).error).toEqual({
      message: oneLine(failure.message).replace('pw9x', '***'),
      bind: 'b',
      code: 'MIGRATION',
      revision: 'r2',
      direction: 'down',
      at: ['r2'],
      file: '/m/r2.ts',
      line: 12,
      sql: "INSERT INTO t VALUES ('postgres://app:***@h/db')",
      steps: [done],
    });
    // Made without what a run knows: only what it has.
    expect(errorJson(new MigrationError({ bind: 'b', revision: 'r2' }, new Error('boom'))).error).toEqual({ message: expect.any(String), bind: 'b', code: 'MIGRATION', revision: 'r2', steps: [] });
  });

  it("a failed revision's message is one line, the text of the ERROR: line on stderr", () => {
    const failure = new MigrationError({ bind: 'b', revision: 'r2', file: '/m/r2.ts', at: ['r1'], statement: 'INSERT INTO t VALUES (1)' }, new Error('Duplicate entry'));
    expect(failure.message).toContain('\n'); // the statement, file and where it stays on lines of their own
    const { message } = errorJson(failure).error;
    expect(message).not.toContain('\n');
    expect(`ERROR: ${message}`).toBe(formatError(failure, false));
    expect(message).toMatch(/^\[b\] revision r2 failed: Duplicate entry; statement: INSERT INTO t VALUES \(1\); file: \/m\/r2\.ts/);
  });
});

describe('errorJson of a migration lock not acquired in time', () => {
  it('LOCK_TIMEOUT: who holds the lock, where the dialect could tell, its times as ISO 8601 strings (as ErrorJson types them); absent otherwise', () => {
    const holder = { holder: 'pid 4242', session: { id: 4242, user: 'deploy', state: 'idle', connectedAt: new Date('2026-12-07T10:00:00Z'), stateSince: new Date('2026-12-07T10:00:02Z') } };
    const doc = errorJson(new LockTimeoutError('db2', 1000, { holder }));
    expect(doc.error).toMatchObject({ code: 'LOCK_TIMEOUT', bind: 'db2' });
    expect(doc.error.holder).toEqual({ holder: 'pid 4242', session: { id: 4242, user: 'deploy', state: 'idle', connectedAt: '2026-12-07T10:00:00.000Z', stateSince: '2026-12-07T10:00:02.000Z' } });
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
    expect(errorJson(new LockTimeoutError('db2', 1000)).error).not.toHaveProperty('holder');
  });

  it("lockHolderJson: a lease's times as ISO 8601 strings; a time that is no date is left out", () => {
    const lease = { holder: 'app1:4242:7f3a9c1d', acquiredAt: new Date('2026-12-07T10:00:00Z'), expiresAt: new Date('2026-12-07T10:00:30Z'), expired: false };
    expect(lockHolderJson(lease)).toEqual({ holder: 'app1:4242:7f3a9c1d', acquiredAt: '2026-12-07T10:00:00.000Z', expiresAt: '2026-12-07T10:00:30.000Z', expired: false });
    expect(lockHolderJson({ holder: 'pid 1', session: { id: 1, stateSince: new Date(Number.NaN) } })).toEqual({ holder: 'pid 1', session: { id: 1 } });
  });
});

describe('errorJson of a run a signal stopped', () => {
  it('INTERRUPTED: the steps completed, where each bind stands, the steps pending and the binds not started', () => {
    const done = { bind: 'db2', revision: 'ab01', direction: 'up' as const, elapsedMs: 4 };
    const error = new InterruptedError({ reason: 'SIGINT', completed: [done], pending: [{ bind: 'db2', revision: 'ab02' }], heads: new Map([['db2', ['ab01']]]), notStarted: ['db3'] });
    expect(errorJson(error)).toEqual({
      error: {
        message: 'Interrupted: stopped after 1 revision; not run: [db2] ab02; not started: db3. Every bind is at a revision its version table records; run the same command again to go on.',
        code: 'INTERRUPTED',
        steps: [done],
        heads: { db2: ['ab01'] },
        pending: [{ bind: 'db2', revision: 'ab02' }],
        notStarted: ['db3'],
      },
    });
  });
});

describe('errorJson of a run whose codegen failed after it', () => {
  it('CODEGEN_AFTER_RUN: the message saying the run completed, its steps and where each bind stands', () => {
    const done = { bind: 'db2', revision: 'ab02', direction: 'down' as const, elapsedMs: 4 };
    const error = new CodegenAfterRunError({ steps: [done], heads: new Map([['db2', ['ab01']]]), elapsedMs: 9 }, ['db2'], new Error("EACCES: permission denied, open '/app/types/db2.ts'"));
    expect(errorJson(error)).toEqual({
      error: {
        message:
          "The downgrade completed (1 revision), but regenerating the types of db2 failed: EACCES: permission denied, open '/app/types/db2.ts'. The types may be stale: run 'migrate codegen db2' once that is fixed.",
        code: 'CODEGEN_AFTER_RUN',
        steps: [done],
        heads: { db2: ['ab01'] },
      },
    });
  });
});

describe('printJson', () => {
  it('masks a bind password in every string before encoding, even one JSON escapes', () => {
    const lines: string[] = [];
    const output = new MaskingOutput({ out: (l) => lines.push(l), err: () => undefined });
    output.addUrls(['postgres://app:Pa%22ss9@h/db']);
    printJson(output, { error: { message: 'password authentication failed for "Pa"ss9"' } });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('ss9');
    expect(JSON.parse(lines[0]!)).toEqual({ error: { message: expect.stringContaining('password authentication failed') } });
  });
});
