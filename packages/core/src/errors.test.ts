import { describe, expect, it } from 'vitest';
import {
  BindError,
  InterruptedError,
  DowngradeTargetError,
  LockTimeoutError,
  MigrationError,
  PartlyAppliedError,
  RelativeTargetError,
  RevisionError,
  RunError,
  SharedBranchError,
  UnknownBindError,
  UnreachableBindsError,
  listSome,
  oneLine,
} from './errors.js';
import { formatLockHolder } from './dialect/format-lock-holder.js';
import { withRun } from './runtime/runner.js';

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

  it('RelativeTargetError gives each reason once with its binds (20, then how many more), and a bind that can take it', () => {
    const atBase = tenants.slice(0, 1990).map((bind) => ({ bind, error: new RevisionError(`Bind '${bind}': 'tenant@-1' goes below base (already at base).`, 'RELATIVE_STEP') }));
    const error = new RelativeTargetError(['tenant@-1'], atBase, tenants.slice(1990));
    expect(error.failures).toHaveLength(1990);
    expect(error.code).toBe('RELATIVE_TARGET');
    expect(error).toBeInstanceOf(RevisionError);
    expect(error.message).toBe(
      "Nothing was run: 1990 binds cannot take 'tenant@-1' from where they stand (a target that counts revisions is planned for every bind before any runs). " +
        `${tenants.slice(0, 20).join(', ')} and 1970 more: 'tenant@-1' goes below base (already at base). Name the binds that can take it instead (e.g. 't1991@-1').`,
    );
  });

  it('RelativeTargetError with several targets names those the binds cannot take, and an example that is not one written', () => {
    const beyond = (bind: string, target: string) => new RevisionError(`Bind '${bind}': '${target}' goes beyond the head of branch '${bind}' (already at its head).`, 'RELATIVE_STEP');
    // default cannot take default@+5; db2 can take db2@+1, written already: no example.
    const one = new RelativeTargetError(['db2@+1', 'default@+5'], [{ bind: 'default', error: beyond('default', 'default@+5'), target: 'default@+5' }], ['db2'], new Map([['db2', ['db2@+1']]]));
    expect(one.message).toBe(
      "Nothing was run: bind 'default' cannot take 'default@+5' from where it stands (a target that counts revisions is planned for every bind before any runs). " +
        "default: 'default@+5' goes beyond the head of branch 'default' (already at its head).",
    );
    // '+1' concerns db3, which can take it: 'db3@+1'; 'db2@+1' concerns only db2.
    const two = new RelativeTargetError(
      ['db2@+1', '+1'],
      [
        { bind: 'db2', error: beyond('db2', 'db2@+1'), target: 'db2@+1' },
        { bind: 'default', error: beyond('default', '+1'), target: '+1' },
      ],
      ['db3'],
      new Map([['db3', ['+1']]]),
    );
    expect(two.message).toMatch(/^Nothing was run: 2 binds cannot take 'db2@\+1', '\+1' from where they stand .* Name the binds that can take it instead \(e\.g\. 'db3@\+1'\)\.$/);
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

describe('oneLine: a message as one line of a log', () => {
  it("joins lines by '; ', by a space after a line ending a sentence or a label", () => {
    expect(oneLine('a\n  b\n\n c')).toBe('a; b; c');
    expect(oneLine("Cannot find module 'x'\nRequire stack:\n- /app/a.js\n- /app/b.js")).toBe("Cannot find module 'x'; Require stack: - /app/a.js; - /app/b.js");
    expect(oneLine("Timed out.\n't3' stays at r1")).toBe("Timed out. 't3' stays at r1");
    expect(oneLine('  one line  ')).toBe('one line');
  });

  it("a failed revision's statement is one line in the message, kept as sent on the error", () => {
    const statement = 'CREATE TABLE "y" (\n  "id" integer NOT NULL\n)';
    const error = new MigrationError({ bind: 't2', revision: 'a2', statement, file: '/m/a2.ts', at: ['a1'], notRun: ['t3'] }, new Error('table "y" already exists'));
    expect(error.statement).toBe(statement);
    expect(oneLine(error.message)).toBe(
      '[t2] revision a2 failed: table "y" already exists; statement: CREATE TABLE "y" ( "id" integer NOT NULL ); file: /m/a2.ts; ' +
        "rolled back; 't2' stays at a1. not run (the run stopped here): t3; '--concurrency N' goes on past a failing bind.",
    );
  });
});

describe('UnreachableBindsError', () => {
  it('is a BindError about the first bind in sorted order, its message one line per bind', () => {
    const zz = new BindError({ bind: 'zz', action: 'connect', location: 'postgres://app:***@db:1/zz', doing: 'connect to', reason: 'ECONNREFUSED' });
    const aa = new BindError({ bind: 'aa', action: 'identify', doing: 'identify the database of', reason: 'timeout' });
    const error = new UnreachableBindsError([zz, aa]);
    expect(error).toBeInstanceOf(BindError);
    expect(error).toMatchObject({ name: 'UnreachableBindsError', bind: 'aa', action: 'identify', location: undefined, code: 'BIND_DATABASE', cause: aa });
    expect(error.unreachable).toEqual([aa, zz]);
    expect(Object.isFrozen(error.unreachable)).toBe(true);
    expect(error.message).toBe('[aa] cannot identify the database of: timeout\n[zz] cannot connect to postgres://app:***@db:1/zz: ECONNREFUSED');
    expect(error.notRun).toEqual([]);
  });

  it('of a run: names the binds it did not run, whether anything ran before, and what goes on past it', () => {
    const zz = new BindError({ bind: 'zz', action: 'connect', doing: 'connect to', reason: 'ECONNREFUSED' });
    const up = new UnreachableBindsError([zz], { notRun: ['aa', 'bb'], direction: 'up' });
    expect(up).toMatchObject({ bind: 'zz', code: 'CONNECT', notRun: ['aa', 'bb'], completed: [] });
    expect(up.message).toBe(
      "[zz] cannot connect to: ECONNREFUSED\n  nothing ran: without --concurrency an upgrade connects every bind before its first step; not run: aa, bb. '--concurrency N' goes on past an unreachable bind.",
    );
    const down = new UnreachableBindsError([zz], { notRun: ['aa'], direction: 'down' });
    expect(down.message.split('\n')[1]).toBe('  nothing ran: a run connects every bind before its first step; not run: aa.');
    const step = { bind: 't1', revision: 'r1', direction: 'up' as const, elapsedMs: 1 };
    const later = new UnreachableBindsError([zz], { notRun: tenants.slice(0, 21), completed: [step], direction: 'up' });
    expect(later.message.split('\n')[1]).toBe(`  not run (the run stopped here): ${tenants.slice(0, 20).join(', ')} and 1 more. '--concurrency N' goes on past an unreachable bind.`);
    expect(later.notRun).toHaveLength(21);
    expect(later.completed).toEqual([step]);
    // Met at its group's turn with nothing run before (the binds before it at their target):
    // the run stopped there, it did not connect every bind first.
    const atTurn = new UnreachableBindsError([zz], { notRun: ['aa'], direction: 'up', atGroup: true });
    expect(atTurn.message.split('\n')[1]).toBe("  not run (the run stopped here): aa. '--concurrency N' goes on past an unreachable bind.");
  });

  it('of a stamp: says nothing was stamped and names the binds not stamped', () => {
    const zz = new BindError({ bind: 'zz', action: 'connect', doing: 'connect to', reason: 'ECONNREFUSED' });
    const stamp = new UnreachableBindsError([zz], { notRun: ['aa', 'bb'], stamp: true });
    expect(stamp).toMatchObject({ bind: 'zz', code: 'CONNECT', notRun: ['aa', 'bb'], completed: [] });
    expect(stamp.message).toBe('[zz] cannot connect to: ECONNREFUSED\n  nothing stamped: a stamp connects every bind before it writes any version table; not stamped: aa, bb.');
  });
});

describe('PartlyAppliedError', () => {
  it('says to fix what made the step stop before resuming it (as it is, it fails the same way), then how to resume or record it', () => {
    const up = new PartlyAppliedError({ bind: 'db2', revision: 'ab01', direction: 'up', completed: ['createTable t1'], asked: 'downgrade it' });
    expect(up.message).toBe(
      "[db2] revision ab01 is partly applied (its upgrade stopped part way; 1 write(s) completed: createTable t1). Refusing to downgrade it." +
        ' If it stopped on an error, fix that first (the revision may change from the write that failed on, not before it);' +
        " then resume it with 'migrate upgrade db2', or repair the database by hand and record it with 'migrate resolve db2 --applied' or 'migrate resolve db2 --not-applied'.",
    );
    const down = new PartlyAppliedError({ bind: 'db2', revision: 'ab01', direction: 'down', completed: [] });
    expect(down.message).toContain("(its downgrade stopped part way; no write completed). If it stopped on an error, fix that first (the revision may change from the write that failed on, not before it); then resume it with 'migrate downgrade db2@-1',");
  });
});

describe('LockTimeoutError', () => {
  it('says how long it waited: milliseconds under a second (lockTimeoutMs from code), else seconds', () => {
    expect(new LockTimeoutError('db2', 507.4).message).toBe('Timed out after 507 ms waiting for the migration lock on db2: another run holds it.');
    expect(new LockTimeoutError('db2', 200).message).toBe('Timed out after 200 ms waiting for the migration lock on db2: another run holds it.');
    expect(new LockTimeoutError('db2', 1003).message).toBe('Timed out after 1 s waiting for the migration lock on db2: another run holds it.');
    // A 1 s timeout whose timer fired a fraction early (seen in CI: 'Timed out after 1000 ms').
    expect(new LockTimeoutError('db2', 999.7).message).toBe('Timed out after 1 s waiting for the migration lock on db2: another run holds it.');
    expect(new LockTimeoutError('db2', 30_000).waitedMs).toBe(30_000);
  });

  it('a run of groups stopped here: the steps completed before it (how many revisions, on which binds) and the binds not run', () => {
    const step = (bind: string, revision: string) => ({ bind, revision, direction: 'up' as const, elapsedMs: 1 });
    const both = new LockTimeoutError('t3', 1000, { completed: [step('t1', 'r1'), step('t1', 'r2'), step('t2', 'r1')], notRun: ['t4'] });
    expect(both.message).toBe(
      "Timed out after 1 s waiting for the migration lock on t3: another run holds it. Nothing ran on t3; completed before it: 3 revisions on t1, t2; not run (the run stopped here): t4; '--concurrency N' goes on past a bind whose lock is held.",
    );
    expect(both.completed.map((s) => `${s.bind} ${s.revision}`)).toEqual(['t1 r1', 't1 r2', 't2 r1']);
    // The last group: nothing left to name, and nothing else to go on to.
    const last = new LockTimeoutError('t2', 1000, { completed: [step('t1', 'r1')] });
    expect(last.message).toBe('Timed out after 1 s waiting for the migration lock on t2: another run holds it. Nothing ran on t2; completed before it: 1 revision on t1.');
    expect(last.notRun).toEqual([]);
    expect(new LockTimeoutError('db2', 1000).completed).toEqual([]);
  });

  it("names the binds of its own group (linked by depends-on) as not run, without sending to --concurrency for them alone; made again, keeps which they are", () => {
    const group = new LockTimeoutError('aa', 1000, { notRun: ['bb'], linked: ['bb'] });
    expect(group.message).toBe('Timed out after 1 s waiting for the migration lock on aa: another run holds it. Nothing ran on aa; not run (the run stopped here): bb.');
    const run = new LockTimeoutError('aa', 1000, { notRun: [...group.notRun, 'cc'], cause: group });
    expect(run.notRun).toEqual(['bb', 'cc']);
    expect(run.message).toBe(
      "Timed out after 1 s waiting for the migration lock on aa: another run holds it. Nothing ran on aa; not run (the run stopped here): bb, cc; '--concurrency N' goes on past a bind whose lock is held.",
    );
    // The fields a structured log writes are the public ones.
    expect(Object.keys(JSON.parse(JSON.stringify(group)))).not.toContain('linked');
  });

  it('names the holder where the dialect can tell (a Galera lease), and keeps it when made again from the first (a run naming the binds it left)', () => {
    const holder = { holder: 'app1:4242:7', acquiredAt: new Date('2026-12-07T10:00:00Z'), expiresAt: new Date('2026-12-07T10:00:30Z'), expired: false };
    const first = new LockTimeoutError('db2', 503, { holder });
    expect(first.message).toBe('Timed out after 503 ms waiting for the migration lock on db2: another run holds it (app1:4242:7, since 2026-12-07T10:00:00.000Z).');
    expect(first.holder).toBe(holder);
    const again = new LockTimeoutError('db2', 503, { notRun: ['analytics'], cause: first });
    expect(again.holder).toBe(holder);
    expect(again.message).toBe(
      "Timed out after 503 ms waiting for the migration lock on db2: another run holds it (app1:4242:7, since 2026-12-07T10:00:00.000Z). Nothing ran on db2; not run (the run stopped here): analytics; '--concurrency N' goes on past a bind whose lock is held.",
    );
    expect(new LockTimeoutError('db2', 503).holder).toBeUndefined();
  });

  it('names the server session holding a PostgreSQL or MySQL lock with what is known of it; an id alone when nothing else is', () => {
    const pg = {
      holder: 'pid 4242',
      session: {
        id: 4242,
        user: 'deploy',
        clientAddress: '10.0.0.7:51234',
        applicationName: 'multidb',
        connectedAt: new Date('2026-12-07T10:00:00Z'),
        transactionStartedAt: new Date('2026-12-07T10:00:01Z'),
        state: 'idle in transaction',
        stateSince: new Date('2026-12-07T10:00:02Z'),
      },
    };
    expect(new LockTimeoutError('db2', 1000, { holder: pg }).message).toBe(
      "Timed out after 1 s waiting for the migration lock on db2: another run holds it (pid 4242: user deploy from 10.0.0.7:51234, application 'multidb', connected at 2026-12-07T10:00:00.000Z, in a transaction since 2026-12-07T10:00:01.000Z, state 'idle in transaction' since 2026-12-07T10:00:02.000Z).",
    );
    const my = { holder: 'connection 77', session: { id: 77, user: 'root', clientAddress: '127.0.0.1:40318', state: 'Sleep', stateSince: new Date('2026-12-07T10:00:02Z') } };
    expect(new LockTimeoutError('db3', 1000, { holder: my }).message).toBe(
      "Timed out after 1 s waiting for the migration lock on db3: another run holds it (connection 77: user root from 127.0.0.1:40318, state 'Sleep' since 2026-12-07T10:00:02.000Z).",
    );
    // A role that may not see the other session's details (MySQL without PROCESS): its id.
    expect(new LockTimeoutError('db3', 1000, { holder: { holder: 'connection 77', session: { id: 77 } } }).message).toBe(
      'Timed out after 1 s waiting for the migration lock on db3: another run holds it (connection 77).',
    );
    expect(formatLockHolder({ holder: 'pid 9', session: { id: 9, clientAddress: 'local socket' } })).toBe('pid 9: from local socket');
  });
});

describe('JSON.stringify of an error (a structured log line)', () => {
  it('writes name, code, message and the fields; a map as an object, a foreign error as name and message; no stack nor cause', () => {
    const error = new InterruptedError({
      reason: new Error('deploy cancelled'),
      completed: [{ bind: 'db2', revision: 'r1', direction: 'up', elapsedMs: 1 }],
      pending: [{ bind: 'db2', revision: 'r2' }],
      heads: new Map([['db2', ['r1']]]),
      notStarted: ['other'],
    });
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'InterruptedError',
      code: 'INTERRUPTED',
      message: error.message,
      reason: { name: 'Error', message: 'deploy cancelled' },
      completed: [{ bind: 'db2', revision: 'r1', direction: 'up', elapsedMs: 1 }],
      pending: [{ bind: 'db2', revision: 'r2' }],
      heads: { db2: ['r1'] },
      notStarted: ['other'],
      relative: [],
      retry: [],
      retryByHand: [],
    });
    // A relative run's binds to finish by hand (a line of a forked branch, 'fa@+1') are in the line, beside retry.
    const relative = new InterruptedError({
      completed: [{ bind: 't1', revision: 'r2', direction: 'up', elapsedMs: 1 }],
      notStarted: ['t3'],
      retry: { command: 'upgrade', relative: ['fa@+1'], targets: [], byHand: [{ bind: 't3', targets: ['fa@+1'] }] },
    });
    expect(JSON.parse(JSON.stringify(relative))).toMatchObject({ retry: [], retryByHand: [{ bind: 't3', targets: ['fa@+1'] }] });
    const bind = new BindError({ bind: 'db2', action: 'connect', doing: 'connect to', location: 'postgres://app:***@db/x', reason: 'refused' }, { cause: new Error('secret driver detail') });
    const json = JSON.parse(JSON.stringify(new RunError([], [], [bind]))) as { failures: unknown[]; unreachable: Record<string, unknown>[] };
    expect(json.unreachable[0]).toMatchObject({ name: 'BindError', code: 'CONNECT', bind: 'db2', message: bind.message });
    expect(JSON.stringify(bind)).not.toContain('secret driver detail');
    expect(Object.keys(JSON.parse(JSON.stringify(bind)) as object)).not.toContain('stack');
  });
});

describe("a run's errors keep its relative targets (relative), also when no command finishes it (retry and retryByHand empty)", () => {
  // A downgrade of one line of a branch with several heads ('xl@-2'), stopped after a step: no
  // '<bind>@<revision>' takes t2 just where it meant, so retry is [], as for a run the same command
  // again finishes; only RunError said which (its relative).
  const step = { bind: 't2', revision: 'x2', direction: 'down' as const, elapsedMs: 1 };
  const none = { command: 'downgrade' as const, relative: ['xl@-2'], targets: [] };
  const line =
    "  running 'xl@-2' again would step again the binds that ran; no downgrade of each bind left to one of its revisions takes it just where the run meant (a revision of another line of its branch would stay applied): 'migrate current' shows where each stands.";
  const zz = new BindError({ bind: 'zz', action: 'connect', doing: 'connect to', reason: 'ECONNREFUSED' });
  const made = {
    MigrationError: (retry?: typeof none) => new MigrationError({ bind: 't2', revision: 'x1', direction: 'down', completed: [step], ...(retry ? { retry } : {}) }, new Error('boom')),
    InterruptedError: (retry?: typeof none) => new InterruptedError({ completed: [step], pending: [{ bind: 't2', revision: 'x1' }], ...(retry ? { retry } : {}) }),
    LockTimeoutError: (retry?: typeof none) => new LockTimeoutError('t3', 1000, { completed: [step], ...(retry ? { retry } : {}) }),
    UnreachableBindsError: (retry?: typeof none) => new UnreachableBindsError([zz], { completed: [step], notRun: ['t3'], direction: 'down', ...(retry ? { retry } : {}) }),
  };

  for (const [name, make] of Object.entries(made)) {
    it(`${name}: relative as the retry gave it, frozen; [] without one`, () => {
      const error = make(none);
      expect([error.relative, error.retry, error.retryByHand]).toEqual([['xl@-2'], [], []]);
      expect(Object.isFrozen(error.relative)).toBe(true);
      expect(error.message.split('\n').at(-1)).toBe(line);
      expect(JSON.parse(JSON.stringify(error))).toMatchObject({ relative: ['xl@-2'], retry: [] });
      expect(make().relative).toEqual([]);
    });
  }

  it('with targets too, and as RunError has it', () => {
    const retry = { command: 'upgrade' as const, relative: ['+2'], targets: ['t2@r3'] };
    expect(new MigrationError({ bind: 't2', revision: 'r3', completed: [step], retry }, new Error('boom')).relative).toEqual(['+2']);
    expect(new RunError([], [], [zz], [], [step], undefined, { relative: ['+2'], retry }).relative).toEqual(['+2']);
    // Nothing left after a signal: nothing to say, so no relative either.
    expect(new InterruptedError({ completed: [step], retry }).relative).toEqual([]);
  });
});

describe('MigrationError', () => {
  it("adds the server's DETAIL and HINT (a PostgreSQL error's fields) under the reason, from the cause chain", () => {
    const server = Object.assign(new Error('could not create unique index "uq_people_email"'), { severity: 'ERROR', code: '23505', detail: 'Key (email)=(ann@example.org)\nis duplicated.', hint: '' });
    const error = new MigrationError({ bind: 'db2', revision: 'r2', statement: 'CREATE UNIQUE INDEX …' }, new Error('[db2] wrapped', { cause: server }));
    expect(error.message.split('\n').slice(0, 3)).toEqual(['[db2] revision r2 failed: wrapped', '  detail: Key (email)=(ann@example.org); is duplicated.', '  statement: CREATE UNIQUE INDEX …']);
    expect([error.detail, error.hint]).toEqual(['Key (email)=(ann@example.org)\nis duplicated.', undefined]);
    const hinted = new MigrationError({ bind: 'db2', revision: 'r2' }, Object.assign(new Error('function f(integer) does not exist'), { severity: 'ERROR', hint: 'No function matches.' }));
    expect(hinted.message.split('\n')[1]).toBe('  hint: No function matches.');
    // Not a server's error (no severity): a field named `detail` of another error is not shown.
    const ours = new MigrationError({ bind: 'db2', revision: 'r2' }, Object.assign(new Error('no database'), { detail: 'its file does not exist' }));
    expect(ours.message).not.toContain('detail:');
    expect(ours.detail).toBeUndefined();
  });

  it('does not send to --concurrency for binds whose steps all wait on the failure (linked), only for others; made again by the run, keeps which they are', () => {
    const group = new MigrationError({ bind: 'aa', revision: 'a1', at: [], notRun: ['bb'], linked: ['bb'] }, new Error('boom'));
    expect(group.message.split('\n').at(-1)).toBe('  not run (the run stopped here): bb.');
    const run = withRun(group, { notRun: [...group.notRun, 'cc'] });
    expect(run.notRun).toEqual(['bb', 'cc']);
    expect(run.message.split('\n').at(-1)).toBe("  not run (the run stopped here): bb, cc; '--concurrency N' goes on past a failing bind.");
    expect(withRun(group, { completed: [] }).message.split('\n').at(-1)).toBe('  not run (the run stopped here): bb.');
    // A linked bind not among notRun is not counted; the fields a structured log writes are the public ones.
    expect(new MigrationError({ bind: 'aa', revision: 'a1', notRun: ['cc'], linked: ['bb'] }, new Error('boom')).message).toContain("cc; '--concurrency N' goes on past a failing bind.");
    expect(Object.keys(JSON.parse(JSON.stringify(group)))).not.toContain('linked');
  });

  it('does not name the bind twice when its cause already starts with it', () => {
    const lost = new MigrationError({ bind: 'db2', revision: 'r2' }, new Error('[db2] the connection to the server was lost: gone'));
    expect(lost.message.split('\n')[0]).toBe('[db2] revision r2 failed: the connection to the server was lost: gone');
    const other = new MigrationError({ bind: 'db2', revision: 'r2' }, new Error('[db3] something of another bind'));
    expect(other.message.split('\n')[0]).toBe('[db2] revision r2 failed: [db3] something of another bind');
  });
});
