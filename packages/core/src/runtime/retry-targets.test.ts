import { describe, expect, it } from 'vitest';
import { parseTarget } from '../script/revision-target.js';
import { planDowngrade, planUpgrade, type BindState } from '../script/planner.js';
import { RevisionMap } from '../script/revision-map.js';
import { rev } from '../testing/revision-fixture.js';
import { BindError, InterruptedError, LockTimeoutError, MigrationError, RunError, UnreachableBindsError } from '../errors.js';
import { leftShort, planTargets, retryTargets, runRetry, withRetry } from './retry-targets.js';

/**
 * tenant (binds t1, t2, t3): c1 <- c2 <- c3 <- c4; fork: f1 <- f2a, f1 <- f2b (two heads); split
 * (binds s1, s2, s3), forked into two labelled lines: s1 <- s2a (label sa) <- s3a, s1 <- s2b (label sb) <- s3b.
 */
const map = new RevisionMap([
  rev('c1', null, 'tenant'),
  rev('c2', 'c1', 'tenant'),
  rev('c3', 'c2', 'tenant'),
  rev('c4', 'c3', 'tenant'),
  rev('f1', null, 'fork'),
  rev('f2a', 'f1', 'fork'),
  rev('f2b', 'f1', 'fork'),
  rev('s1', null, 'split'),
  rev('s2a', 's1', 'split', { branchLabels: ['sa'] }),
  rev('s2b', 's1', 'split', { branchLabels: ['sb'] }),
  rev('s3a', 's2a', 'split'),
  rev('s3b', 's2b', 'split'),
]);
const binds = [
  { bind: 't1', branch: 'tenant' },
  { bind: 't2', branch: 'tenant' },
  { bind: 't3', branch: 'tenant' },
  { bind: 'fk', branch: 'fork' },
  { bind: 's1', branch: 'split' },
  { bind: 's2', branch: 'split' },
  { bind: 's3', branch: 'split' },
];
const state = (bind: string, heads: readonly string[] = []): BindState => ({ bind, branch: binds.find((b) => b.bind === bind)!.branch, heads });
const parsed = (...texts: string[]) => texts.map((text) => ({ text, target: parseTarget(text, map, binds) }));

describe('planTargets', () => {
  it("each bind's rows after its last step, null for a bind the plan has no step for", () => {
    expect(planTargets(planUpgrade(map, [state('t1', ['c1']), state('t2', ['c4'])], ['t1@+2']))).toEqual([['t1', ['c3']]]);
    expect(planTargets(planUpgrade(map, [state('t1', ['c1']), state('t2', ['c4'])], ['head']))).toEqual([
      ['t1', ['c4']],
      ['t2', null],
    ]);
    // Two heads: both rows.
    expect(planTargets(planUpgrade(map, [state('fk')], ['heads']))).toEqual([['fk', ['f2a', 'f2b']]]);
    // A downgrade to base: no row.
    expect(planTargets(planDowngrade(map, [state('t1', ['c2'])], 't1@base'))).toEqual([['t1', []]]);
  });
});

describe('planTargets of a downgrade, given the map: rows that targets of the bind alone reach, or false', () => {
  // tenant: c1 <- c2; one line c2 <- x1 (labelled xl) <- x2, another c2 <- y1; m merges x2 and y1.
  const lines = new RevisionMap([rev('c1', null, 'tenant'), rev('c2', 'c1', 'tenant'), rev('x1', 'c2', 'tenant', { branchLabels: ['xl'] }), rev('x2', 'x1', 'tenant'), rev('y1', 'c2', 'tenant'), rev('m', ['x2', 'y1'], 'tenant')]);
  const one = (heads: readonly string[]): BindState[] => [{ bind: 't2', branch: 'tenant', heads }];

  it("one line of two taken back ('xl@-2' from x2 and y1): rows [y1], which 't2@y1' does not reach (x1 would stay): false, and the retry gives no command", () => {
    const plan = planDowngrade(lines, one(['x2', 'y1']), 'xl@-2');
    expect(planTargets(plan)).toEqual([['t2', ['y1']]]);
    expect(planTargets(plan, lines)).toEqual([['t2', false]]);
    const targetOf = new Map(planTargets(plan, lines));
    const retry = runRetry('downgrade', [{ text: 'xl@-2', target: parseTarget('xl@-2', lines, [{ bind: 't2', branch: 'tenant' }]) }], 1, ['t2'], (b) => targetOf.get(b), lines)!;
    expect(retry.targets).toEqual([]);
    const failure = withRetry(new MigrationError({ bind: 't2', revision: 'x1', at: ['x1', 'y1'], completed: [{ bind: 't2', revision: 'x2', direction: 'down', elapsedMs: 1 }] }, new Error('boom')), 'downgrade', retry) as MigrationError;
    // What tells it from a run the same command again finishes (retry [] too).
    expect([failure.relative, failure.retry, failure.retryByHand]).toEqual([['xl@-2'], [], []]);
    expect(failure.message.split('\n').at(-1)).toBe(
      "  running 'xl@-2' again would step again the binds that ran; no downgrade of each bind left to one of its revisions takes it just where the run meant (a revision of another line of its branch would stay applied): 'migrate current' shows where each stands.",
    );
  });

  it('a merge taken back (rows x2 and y1), a straight line, base: the rows, which its targets reach', () => {
    expect(planTargets(planDowngrade(lines, one(['m']), 't2@-1'), lines)).toEqual([['t2', ['x2', 'y1']]]);
    expect(planTargets(planDowngrade(lines, one(['x2', 'y1']), 't2@c2'), lines)).toEqual([['t2', ['c2']]]);
    expect(planTargets(planDowngrade(lines, one(['x2', 'y1']), 't2@base'), lines)).toEqual([['t2', []]]);
  });
});

describe('retryTargets', () => {
  it('a planned bind: its plan rows, exact whatever it ran before it stopped (not its relative target again)', () => {
    // t2 planned c1 -> c3 by '+2', failed at c3 after c2: 't2@c3' (t2@+2 would reach c4).
    const planned = new Map<string, readonly string[] | null>([
      ['t1', ['c3']],
      ['t2', ['c3']],
    ]);
    expect(retryTargets('upgrade', ['t2'], (b) => planned.get(b), parsed('+2'), map).targets).toEqual(['t2@c3']);
  });

  it('two heads: one target per row; none: base; at its target (null): nothing', () => {
    const planned = new Map<string, readonly string[] | null>([
      ['fk', ['f2a', 'f2b']],
      ['t1', []],
      ['t3', null],
    ]);
    expect(retryTargets('upgrade', ['fk', 't1', 't3'], (b) => planned.get(b), parsed('tenant@-1'), map).targets).toEqual(['fk@f2a', 'fk@f2b', 't1@base']);
  });

  it('a bind never planned (nothing read there): each target that concerns it, written for it alone', () => {
    const never = () => undefined;
    expect(retryTargets('upgrade', ['t2'], never, parsed('+1'), map).targets).toEqual(['t2@+1']);
    expect(retryTargets('upgrade', ['t2'], never, parsed('tenant@-1'), map).targets).toEqual(['t2@-1']);
    expect(retryTargets('upgrade', ['t2'], never, parsed('t2@+1', 't1@head'), map).targets).toEqual(['t2@+1']);
    expect(retryTargets('upgrade', ['t2'], never, parsed('t1@+1', 'head'), map).targets).toEqual(['t2@head']);
    expect(retryTargets('upgrade', ['t2'], never, parsed('t2'), map).targets).toEqual(['t2']);
    // In the order given, each once as given.
    expect(retryTargets('upgrade', ['t3', 't1'], never, parsed('+1'), map).targets).toEqual(['t3@+1', 't1@+1']);
    // The label of the branch's root alone: the bind alone (its head; it was 't2@tenant': the root revision c1).
    expect(retryTargets('upgrade', ['t2'], never, parsed('t1@+1', 'tenant'), map).targets).toEqual(['t2']);
    expect(retryTargets('downgrade', ['t2'], never, parsed('tenant'), map).targets).toEqual(['t2']);
    expect(retryTargets('upgrade', ['t2'], never, parsed('t1@+1', 'tenant'), map).byHand).toEqual([]);
  });

  it("a bind never planned whose target follows a line of a forked branch ('sa@+1'): no target for it (it was 's3@+1', which walks the whole branch), listed by hand with its targets", () => {
    // What the two mean for s3 at s2b: 'sa@+1' goes up the line of sa (to s2a, beside s2b); 's3@+1' up s3's own fork (to s3b).
    expect(planUpgrade(map, [state('s3', ['s2b'])], ['sa@+1']).steps.map((st) => st.revision)).toEqual(['s2a']);
    expect(planUpgrade(map, [state('s3', ['s2b'])], ['s3@+1']).steps.map((st) => st.revision)).toEqual(['s3b']);

    const planned = new Map<string, readonly string[] | null>([['s2', ['s2a']]]);
    expect(retryTargets('upgrade', ['s2', 's3'], (b) => planned.get(b), parsed('sa@+1'), map)).toEqual({ targets: ['s2@s2a'], byHand: [{ bind: 's3', targets: ['sa@+1'] }] });
    for (const target of ['sa@head', 'sa@base+1', 's2a@head']) expect(retryTargets('upgrade', ['s3'], () => undefined, parsed(target), map)).toEqual({ targets: [], byHand: [{ bind: 's3', targets: [target] }] });
    for (const target of ['sa@-1', 'sa@base', 'sa@s2a']) expect(retryTargets('downgrade', ['s3'], () => undefined, parsed(target), map)).toEqual({ targets: [], byHand: [{ bind: 's3', targets: [target] }] });
    // Every target of the bind, then: one given before would move where the line's starts from.
    expect(retryTargets('upgrade', ['s3'], () => undefined, parsed('sa@+1', 's3@s2b'), map)).toEqual({ targets: [], byHand: [{ bind: 's3', targets: ['sa@+1', 's3@s2b'] }] });
    // The line of the branch's root is the whole branch; an upgrade to a revision reaches it on any line; a bare label names its revision.
    expect(retryTargets('upgrade', ['s3'], () => undefined, parsed('split@+1'), map)).toEqual({ targets: ['s3@+1'], byHand: [] });
    expect(retryTargets('upgrade', ['s3'], () => undefined, parsed('sa@s3a'), map)).toEqual({ targets: ['s3@s3a'], byHand: [] });
    expect(retryTargets('downgrade', ['s3'], () => undefined, parsed('sa'), map)).toEqual({ targets: ['s3@sa'], byHand: [] });
    // runRetry carries them; the error's last line says what to do for them.
    const retry = runRetry('upgrade', parsed('sa@+1'), 1, ['s2', 's3'], (b) => planned.get(b), map)!;
    expect(retry).toEqual({ command: 'upgrade', relative: ['sa@+1'], targets: ['s2@s2a'], byHand: [{ bind: 's3', targets: ['sa@+1'] }] });
    const unreachable = new BindError({ bind: 's3', action: 'connect', doing: 'connect to', reason: 'refused' });
    const failure = new MigrationError({ bind: 's2', revision: 's2a' }, new Error('boom'));
    const run = withRetry(new RunError([failure], [], [unreachable], [], [{ bind: 's1', revision: 's2a', direction: 'up', elapsedMs: 1 }]), 'upgrade', retry) as RunError;
    expect(run.retry).toEqual(['s2@s2a']);
    expect(run.message.split('\n').at(-1)).toBe(
      "  running 'sa@+1' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade s2@s2a; " +
        "for s3 (nothing was read there), 'sa@+1' moves along the line of 'sa' on a forked branch, which no target says for one bind alone: " +
        "once it can be reached, upgrade it to the revision that 'sa@+1' leads it to from where it stands (migrate current s3 shows where; then migrate upgrade s3@<revision>).",
    );
    // Only such binds left; several of them: together.
    const gone = new UnreachableBindsError([unreachable], { completed: [{ bind: 's1', revision: 's2a', direction: 'down', elapsedMs: 1 }], retry: runRetry('downgrade', parsed('sa@-1'), 1, ['s2', 's3'], () => undefined, map) });
    expect(gone.retry).toEqual([]);
    expect(gone.message.split('\n').at(-1)).toBe(
      "  running 'sa@-1' again would step again the binds that ran; for s2, s3 (nothing was read there), 'sa@-1' moves along the line of 'sa' on a forked branch, which no target says for one bind alone: " +
        'once each can be reached, downgrade it to the revision that \'sa@-1\' leads it to from where it stands (migrate current <bind> shows where; then migrate downgrade <bind>@<revision>).',
    );
  });

  it("every error that gives a retry exposes those binds in retryByHand, beside retry (a script running retry alone would leave them); [] when none", () => {
    const planned = new Map<string, readonly string[] | null>([['s2', ['s2a']]]);
    const retry = runRetry('upgrade', parsed('sa@+1'), 1, ['s2', 's3'], (b) => planned.get(b), map)!;
    const byHand = [{ bind: 's3', targets: ['sa@+1'] }];
    const done = [{ bind: 's1', revision: 's2a', direction: 'up' as const, elapsedMs: 1 }];
    const unreachable = new BindError({ bind: 's3', action: 'connect', doing: 'connect to', reason: 'refused' });
    const failure = new MigrationError({ bind: 's2', revision: 's2a' }, new Error('boom'));
    const run = withRetry(new RunError([failure], [], [unreachable], [], done), 'upgrade', retry) as RunError;
    expect([run.retry, run.retryByHand]).toEqual([['s2@s2a'], byHand]);
    expect(Object.isFrozen(run.retryByHand) && Object.isFrozen(run.retryByHand[0]) && Object.isFrozen(run.retryByHand[0]!.targets)).toBe(true);
    // Said once: a RunError that gives only binds by hand is as is.
    const onlyByHand = withRetry(new RunError([], [], [unreachable], [], done), 'upgrade', { ...retry, targets: [] }) as RunError;
    expect([onlyByHand.retry, onlyByHand.retryByHand]).toEqual([[], byHand]);
    expect(withRetry(onlyByHand, 'upgrade', undefined)).toBe(onlyByHand);
    // Its failures' own: none (the RunError's).
    expect(run.failures[0]!.retryByHand).toEqual([]);
    const failed = withRetry(new MigrationError({ bind: 's2', revision: 's2a', notRun: ['s3'], completed: done }, new Error('boom')), 'upgrade', retry) as MigrationError;
    expect([failed.retry, failed.retryByHand]).toEqual([['s2@s2a'], byHand]);
    const stopped = withRetry(new InterruptedError({ completed: done, pending: [{ bind: 's2', revision: 's2a' }], notStarted: ['s3'] }), 'upgrade', retry) as InterruptedError;
    expect([stopped.retry, stopped.retryByHand]).toEqual([['s2@s2a'], byHand]);
    const held = new LockTimeoutError('s2', 1000, { notRun: ['s3'], completed: done, retry });
    expect([held.retry, held.retryByHand]).toEqual([['s2@s2a'], byHand]);
    const gone = new UnreachableBindsError([unreachable], { notRun: ['s2'], completed: done, atGroup: true, retry });
    expect([gone.retry, gone.retryByHand]).toEqual([['s2@s2a'], byHand]);
    // None: absolute targets (no retry), a retry with no such bind, a RunError that completed nothing, a stamp.
    expect(new MigrationError({ bind: 's2', revision: 's2a' }, new Error('boom')).retryByHand).toEqual([]);
    expect((withRetry(new RunError([failure], [], [], [], done), 'upgrade', undefined) as RunError).retryByHand).toEqual([]);
    expect((withRetry(new RunError([failure], [], [], [], done), 'upgrade', { command: 'upgrade', relative: ['+1'], targets: ['s2@s2a'] }) as RunError).retryByHand).toEqual([]);
    expect((withRetry(new RunError([failure], [], [unreachable]), 'upgrade', retry) as RunError).retryByHand).toEqual([]);
    expect(new UnreachableBindsError([unreachable], { stamp: true, retry }).retryByHand).toEqual([]);
    expect(new InterruptedError({ completed: done, retry }).retryByHand).toEqual([]);
  });
});

describe('runRetry, leftShort, withRetry: how the error that stopped a run says to finish it', () => {
  const done = [{ bind: 't1', revision: 'c3', direction: 'up' as const, elapsedMs: 1 }];
  const planned = new Map<string, readonly string[] | null>([
    ['t1', ['c3']],
    ['t2', ['c3']],
    ['t3', ['c3']],
  ]);
  const targetOf = (b: string) => planned.get(b);

  it('relative targets with steps completed: the targets of the binds left; absolute targets or nothing completed: none', () => {
    expect(runRetry('upgrade', parsed('+2'), 1, ['t2', 't3'], targetOf, map)).toEqual({ command: 'upgrade', relative: ['+2'], targets: ['t2@c3', 't3@c3'] });
    expect(runRetry('upgrade', parsed('head'), 1, ['t2'], targetOf, map)).toBeUndefined();
    expect(runRetry('upgrade', parsed('+2'), 0, ['t2'], targetOf, map)).toBeUndefined();
    // Only the relative ones are named as such; a bind's absolute target is given as is.
    expect(runRetry('upgrade', parsed('t1@+1', 't2@head'), 1, ['t2'], () => undefined, map)).toEqual({ command: 'upgrade', relative: ['t1@+1'], targets: ['t2@head'] });
  });

  it('the binds each error says were left: the failed or held bind and those not run; those a signal left', () => {
    const failure = new MigrationError({ bind: 't2', revision: 'c3', notRun: ['t3'] }, new Error('boom'));
    expect(leftShort(failure)).toEqual(['t2', 't3']);
    expect(leftShort(new LockTimeoutError('t2', 1000, { notRun: ['t3'] }))).toEqual(['t2', 't3']);
    const unreachable = new BindError({ bind: 't2', action: 'connect', doing: 'connect to', reason: 'refused' });
    expect(leftShort(new UnreachableBindsError([unreachable], { notRun: ['t3'] }))).toEqual(['t2', 't3']);
    expect(leftShort(new InterruptedError({ pending: [{ bind: 't2', revision: 'c3' }, { bind: 't2', revision: 'c4' }], notStarted: ['t3'] }))).toEqual(['t2', 't3']);
    expect(leftShort(new RunError([failure], [{ bind: 't3', revision: 'c3' }]))).toEqual(['t2', 't3']);
    expect(leftShort(new Error('other'))).toEqual([]);
  });

  it("a MigrationError or InterruptedError given a retry: its retry, and its message's last line says what to run instead", () => {
    const retry = runRetry('upgrade', parsed('+2'), 1, ['t2', 't3'], targetOf, map)!;
    const failure = withRetry(new MigrationError({ bind: 't2', revision: 'c3', at: ['c2'], notRun: ['t3'], completed: done }, new Error('boom')), 'upgrade', retry) as MigrationError;
    expect(failure).toBeInstanceOf(MigrationError);
    expect(failure.retry).toEqual(['t2@c3', 't3@c3']);
    expect(failure.completed).toEqual(done);
    expect(failure.message.split('\n').at(-1)).toBe("  running '+2' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate upgrade t2@c3 t3@c3.");
    // Partly applied and resumable (MySQL/MariaDB): resumed by that command, not by the same one again.
    const partial = withRetry(new MigrationError({ bind: 't2', revision: 'c3', partial: true, resumable: true, completed: done }, new Error('boom')), 'upgrade', retry) as MigrationError;
    expect(partial.message).toContain('then run the command this error gives to finish the run to resume after the last completed write');
    expect(new MigrationError({ bind: 't2', revision: 'c3', partial: true, resumable: true }, new Error('boom')).message).toContain('then run the command again to resume');
    const stopped = withRetry(new InterruptedError({ reason: 'SIGINT', completed: done, pending: [{ bind: 't2', revision: 'c3' }], notStarted: ['t3'] }), 'upgrade', retry) as InterruptedError;
    expect(stopped.retry).toEqual(['t2@c3', 't3@c3']);
    expect(stopped.reason).toBe('SIGINT');
    expect(stopped.message).toBe(
      "Interrupted: stopped after 1 revision; not run: [t2] c3; not started: t3. Every bind is at a revision its version table records.\n  running '+2' again would step again the binds that ran; to finish just what it meant, run instead: migrate upgrade t2@c3 t3@c3.",
    );
    // Without a retry (absolute targets), as it was.
    const plain = new InterruptedError({ completed: done, pending: [{ bind: 't2', revision: 'c3' }] });
    expect(withRetry(plain, 'upgrade', undefined)).toBe(plain);
    expect(plain.message).toMatch(/; run the same command again to go on\.$/);
  });

  it('a LockTimeoutError and an UnreachableBindsError made with a retry say it too; a downgrade: one command per bind', () => {
    const retry = { command: 'downgrade' as const, relative: ['tenant@-2'], targets: ['t2@c2', 't3@c2'] };
    const held = new LockTimeoutError('t2', 1000, { notRun: ['t3'], completed: done, retry });
    expect(held.retry).toEqual(['t2@c2', 't3@c2']);
    expect(held.message.split('\n').at(-1)).toBe(
      "  running 'tenant@-2' again would step again the binds that ran; to finish just what it meant, once what failed is fixed, run instead: migrate downgrade t2@c2; migrate downgrade t3@c2.",
    );
    const unreachable = new BindError({ bind: 't2', action: 'connect', doing: 'connect to', reason: 'refused' });
    const gone = new UnreachableBindsError([unreachable], { notRun: ['t3'], completed: done, atGroup: true, retry });
    expect(gone.retry).toEqual(['t2@c2', 't3@c2']);
    expect(gone.message.split('\n').at(-1)).toMatch(/^ {2}running 'tenant@-2' again .*: migrate downgrade t2@c2; migrate downgrade t3@c2\.$/);
  });

  it('a RunError always says how to finish it: the same command again for absolute targets, the retry for relative ones', () => {
    const failure = new MigrationError({ bind: 't2', revision: 'c3' }, new Error('boom'));
    const absolute = withRetry(new RunError([failure], [], [], [], done), 'upgrade', undefined) as RunError;
    expect(absolute.retry).toEqual([]);
    expect(absolute.message.split('\n').at(-1)).toBe('  running the same command again, once what failed is fixed, runs only what is left.');
    const relative = withRetry(new RunError([failure], [], [], [], done), 'upgrade', { command: 'upgrade', relative: ['+2'], targets: ['t2@c3'] }) as RunError;
    expect(relative.retry).toEqual(['t2@c3']);
    expect(relative.relative).toEqual(['+2']);
    // Said once: a RunError that says it already is as is.
    expect(withRetry(relative, 'upgrade', undefined)).toBe(relative);
  });
});
