import type { StepInfo } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { toRunFailure, type RunMessage, type TuiRunEvent } from '../../run/run-message.js';
import { describeRun } from './run-summary.js';
import { initialRunState, runReducer, summarizeRun, type RunAction, type RunState } from './use-run-state.js';

const step = (bind: string, revision: string, index: number, total: number, from: string[] = []): StepInfo => ({
  bind,
  revision,
  direction: 'up',
  index,
  total,
  message: `msg ${revision}`,
  downRevisions: from,
  from,
});
let clock = 0;
const msg = (group: number, message: RunMessage): RunAction => ({ type: 'message', group, message, now: (clock += 100) });
const ev = (group: number, event: TuiRunEvent): RunAction => msg(group, { type: 'event', event });
const run = (state: RunState, ...actions: RunAction[]) => actions.reduce(runReducer, state);
const bind = (state: RunState, name: string) => state.binds.find((b) => b.bind === name)!;

describe('runReducer', () => {
  const start = initialRunState('up', [{ binds: ['default'] }, { binds: ['db2', 'db3'] }], 0);

  it('starts every bind of every part', () => {
    expect(start.binds.map((b) => [b.bind, b.group, b.phase])).toEqual([
      ['default', 0, 'starting'],
      ['db2', 1, 'starting'],
      ['db3', 1, 'starting'],
    ]);
  });

  it('follows lock waits, the plan and each step', () => {
    const a = step('db2', 'b1', 1, 2);
    const b = step('db2', 'b2', 2, 2, ['b1']);
    let s = run(start, ev(1, { type: 'lock-wait', bind: 'db2' }));
    expect(bind(s, 'db2')).toMatchObject({ phase: 'waiting-lock', waitingSince: s.now });
    s = run(s, ev(1, { type: 'lock-acquired', bind: 'db2', waitedMs: 300 }), ev(1, { type: 'plan', steps: [a, b] }));
    expect(bind(s, 'db2')).toMatchObject({ phase: 'ready', total: 2 });
    // A plan says nothing of the binds it leaves out (another plan may name them): db3 waits.
    expect(bind(s, 'db3')).toMatchObject({ phase: 'starting', total: undefined });
    s = run(s, ev(1, { type: 'step-start', ...a }));
    expect(bind(s, 'db2')).toMatchObject({ phase: 'running', index: 1, revision: 'b1', message: 'msg b1', stepStartedAt: s.now });
    s = run(s, ev(1, { type: 'step-done', ...a, elapsedMs: 5 }));
    expect(bind(s, 'db2')).toMatchObject({ phase: 'ready', completed: 1 });
    s = run(s, ev(1, { type: 'step-start', ...b }), ev(1, { type: 'step-done', ...b, elapsedMs: 5 }));
    expect(bind(s, 'db2').phase).toBe('running');
    s = run(s, ev(1, { type: 'bind-done', bind: 'db2', ok: true, heads: ['b2'] }), ev(1, { type: 'run-done', ok: true, elapsedMs: 9 }));
    expect(bind(s, 'db2')).toMatchObject({ phase: 'done', completed: 2, heads: ['b2'] });
    expect(s.finishedAt).toBeUndefined();
    s = run(s, msg(1, { type: 'finished' }));
    expect(s.groupsDone).toEqual([false, true]);
    s = run(s, msg(0, { type: 'finished' }));
    expect(bind(s, 'default').phase).toBe('nothing-to-do');
    expect(s.finishedAt).toBe(s.now);
    expect(bind(s, 'db3')).toMatchObject({ phase: 'nothing-to-do' });
    expect(summarizeRun(s)).toEqual({ done: ['db2'], failed: [], stopped: [], unchanged: ['default', 'db3'], interrupted: [], revisions: 2, elapsedMs: s.now });
  });

  it('takes several plans in one part, each naming some binds, and settles the unnamed ones when the part ends', () => {
    const three = initialRunState('up', [{ binds: ['t1', 't2', 't3'] }], 0, { t1: 'tenant', t2: 'tenant', t3: 'tenant' });
    const [a, b] = [step('t1', 'r1', 1, 1), step('t2', 'r1', 1, 1)];
    let s = run(three, ev(0, { type: 'plan', steps: [a] }), ev(0, { type: 'step-start', ...a }), ev(0, { type: 'step-done', ...a, elapsedMs: 1 }), ev(0, { type: 'bind-done', bind: 't1', ok: true, heads: ['r1'] }));
    expect(s.binds.map((x) => [x.bind, x.branch, x.phase])).toEqual([
      ['t1', 'tenant', 'done'],
      ['t2', 'tenant', 'starting'],
      ['t3', 'tenant', 'starting'],
    ]);
    s = run(s, ev(0, { type: 'plan', steps: [b] }));
    expect(bind(s, 't2')).toMatchObject({ phase: 'ready', total: 1 });
    s = run(s, ev(0, { type: 'step-start', ...b }), ev(0, { type: 'step-done', ...b, elapsedMs: 1 }), ev(0, { type: 'bind-done', bind: 't2', ok: true, heads: ['r1'] }), msg(0, { type: 'finished' }));
    expect(summarizeRun(s)).toMatchObject({ done: ['t1', 't2'], unchanged: ['t3'], revisions: 2 });
  });

  it('folds a batch of messages as it folds them one by one', () => {
    const a = step('db2', 'b1', 1, 1);
    const items = [
      { group: 1, message: { type: 'event', event: { type: 'plan', steps: [a] } }, now: 10 },
      { group: 1, message: { type: 'event', event: { type: 'step-start', ...a } }, now: 20 },
      { group: 0, message: { type: 'finished' }, now: 30 },
    ] as const;
    const batched = runReducer(start, { type: 'messages', items });
    const single = run(start, ...items.map((i): RunAction => ({ type: 'message', ...i })));
    expect(batched).toEqual(single);
    expect(batched.now).toBe(30);
  });

  it('marks the failing bind, stops the rest of its part, and leaves other parts going', () => {
    const error = Object.assign(new Error('[db2] revision b1 failed'), { name: 'MigrationError', bind: 'db2', revision: 'b1', statement: 'INSERT INTO Nope', cause: new Error('no such table: Nope') });
    const failure = toRunFailure(error);
    const a = step('db2', 'b1', 1, 1, ['b0']);
    const c = step('db3', 'c1', 1, 1);
    let s = run(start, ev(1, { type: 'plan', steps: [a, c] }), ev(1, { type: 'step-start', ...a }), ev(1, { type: 'step-failed', ...a, error: failure }));
    expect(bind(s, 'db2')).toMatchObject({ phase: 'failed', heads: ['b0'], error: { reason: 'no such table: Nope', statement: 'INSERT INTO Nope' } });
    s = run(s, ev(1, { type: 'bind-done', bind: 'db2', ok: false, heads: ['b0'] }), msg(1, { type: 'failed', error: failure }));
    expect(bind(s, 'db3')).toMatchObject({ phase: 'stopped', stoppedBy: 'db2' });
    expect(bind(s, 'default').phase).toBe('starting');
    s = run(s, ev(0, { type: 'plan', steps: [step('default', 'a1', 1, 1)] }), ev(0, { type: 'step-start', ...step('default', 'a1', 1, 1) }));
    s = run(s, ev(0, { type: 'step-done', ...step('default', 'a1', 1, 1), elapsedMs: 1 }), ev(0, { type: 'bind-done', bind: 'default', ok: true, heads: ['a1'] }), msg(0, { type: 'finished' }));
    expect(summarizeRun(s)).toMatchObject({ done: ['default'], failed: ['db2'], stopped: ['db3'], revisions: 1 });
  });

  it('a run stopped by ctrl+c: the binds it stopped or kept from starting are interrupted (from their bind-done), the rest settle as when a part finishes', () => {
    const interrupted = toRunFailure(Object.assign(new Error('Interrupted: stopped after 1 revision'), { name: 'InterruptedError', code: 'INTERRUPTED' }));
    const [b1, b2] = [step('db2', 'b1', 1, 2), step('db2', 'b2', 2, 2, ['b1'])];
    let s = run(initialRunState('up', [{ binds: ['default', 'db2', 'db3'] }], 0), ev(0, { type: 'plan', steps: [b1, b2] }));
    s = run(s, ev(0, { type: 'step-start', ...b1 }), ev(0, { type: 'step-done', ...b1, elapsedMs: 1 }));
    s = run(s, ev(0, { type: 'bind-done', bind: 'db2', ok: false, heads: ['b1'], interrupted: 'stopped' }), ev(0, { type: 'bind-done', bind: 'db3', ok: false, heads: [], interrupted: 'not-started' }));
    s = run(s, msg(0, { type: 'failed', error: interrupted }));
    expect(bind(s, 'db2')).toMatchObject({ phase: 'interrupted', interrupted: 'stopped', heads: ['b1'], completed: 1 });
    expect(bind(s, 'db3')).toMatchObject({ phase: 'interrupted', interrupted: 'not-started', heads: [] });
    expect(bind(s, 'default').phase).toBe('nothing-to-do');
    expect(s.finishedAt).toBeDefined();
    expect(summarizeRun(s)).toMatchObject({ done: [], failed: [], stopped: [], interrupted: ['db2', 'db3'], unchanged: ['default'] });
  });

  it("a downgrade to a target counted from where the bind stands (db2@-2), stopped by ctrl+c part way: the summary gives what finishes it (the error's retry), not the downgrade again", () => {
    const fields = { name: 'InterruptedError', code: 'INTERRUPTED' };
    const [b2, b1] = [{ ...step('db2', 'b2', 1, 2, ['b2']), direction: 'down' as const }, { ...step('db2', 'b1', 2, 2, ['b1']), direction: 'down' as const }];
    const stopped = (retry?: string[]) => {
      let s = run(initialRunState('down', [{ binds: ['db2'] }], 0), ev(0, { type: 'plan', steps: [b2, b1] }));
      s = run(s, ev(0, { type: 'step-start', ...b2 }), ev(0, { type: 'step-done', ...b2, elapsedMs: 1 }));
      s = run(s, ev(0, { type: 'bind-done', bind: 'db2', ok: false, heads: ['b1'], interrupted: 'stopped' }));
      return run(s, msg(0, { type: 'failed', error: toRunFailure(Object.assign(new Error('Interrupted: stopped after 1 revision'), fields, retry ? { retry } : {})) }));
    };
    const s = stopped(['db2@base']);
    expect(s.retry).toEqual(['db2@base']);
    expect(describeRun(s)).toMatch(/: db2 interrupted\. Running the downgrade again would step again the binds that ran; to finish just what it meant, run instead: migrate downgrade db2@base\.$/);
    // An absolute target (db2@base): the downgrade again, as before.
    expect(describeRun(stopped())).toMatch(/: db2 interrupted\. Run the downgrade again to go on\.$/);
  });

  it('a run stopped by ctrl+c during its last revision: every bind done, yet the run is interrupted and its summary says nothing was left', () => {
    const interrupted = toRunFailure(Object.assign(new Error('Interrupted: stopped after 1 revision; nothing was left to run'), { name: 'InterruptedError', code: 'INTERRUPTED' }));
    const b1 = step('db2', 'b1', 1, 1);
    let s = run(initialRunState('up', [{ binds: ['db2'] }], 0), ev(0, { type: 'plan', steps: [b1] }), ev(0, { type: 'step-start', ...b1 }), ev(0, { type: 'step-done', ...b1, elapsedMs: 1 }));
    s = run(s, ev(0, { type: 'bind-done', bind: 'db2', ok: true, heads: ['b1'] }), msg(0, { type: 'failed', error: interrupted }));
    expect(bind(s, 'db2').phase).toBe('done');
    expect(s.interrupted).toBe(true);
    expect(describeRun(s)).toMatch(/^Upgrade stopped in .*: db2 upgraded \(1 revision\); interrupted during the last revision, which completed: nothing was left to run\.$/);
  });

  it('sums up a partial failure counting only the revisions of the binds it names as upgraded', () => {
    const error = Object.assign(new Error('[db2] revision b2 failed'), { name: 'MigrationError', bind: 'db2', revision: 'b2', cause: new Error('boom') });
    const [b1, b2] = [step('db2', 'b1', 1, 2), step('db2', 'b2', 2, 2, ['b1'])];
    const a1 = step('default', 'a1', 1, 1);
    let s = run(initialRunState('up', [{ binds: ['default'] }, { binds: ['db2'] }], 0), ev(1, { type: 'plan', steps: [b1, b2] }));
    s = run(s, ev(1, { type: 'step-start', ...b1 }), ev(1, { type: 'step-done', ...b1, elapsedMs: 1 }), ev(1, { type: 'step-start', ...b2 }));
    s = run(s, ev(1, { type: 'step-failed', ...b2, error: toRunFailure(error) }), ev(1, { type: 'bind-done', bind: 'db2', ok: false, heads: ['b1'] }), msg(1, { type: 'failed', error: toRunFailure(error) }));
    s = run(s, ev(0, { type: 'plan', steps: [a1] }), ev(0, { type: 'step-start', ...a1 }), ev(0, { type: 'step-done', ...a1, elapsedMs: 1 }));
    s = run(s, ev(0, { type: 'bind-done', bind: 'default', ok: true, heads: ['a1'] }), msg(0, { type: 'finished' }));
    expect(describeRun(s)).toMatch(/: default upgraded \(1 revision\); db2 failed at b2, stays at b1\. Running the upgrade again, once what failed is fixed, runs only what is left\.$/);
  });

  it('after a run that went on past its failures (RunError), marks the binds that did not run as not run', () => {
    const failure = toRunFailure(Object.assign(new Error('[db2] revision b1 failed'), { name: 'MigrationError', bind: 'db2', revision: 'b1', cause: new Error('boom') }));
    const runError = toRunFailure(Object.assign(new Error('1 bind failed:\n  [db2] revision b1 failed'), { name: 'RunError', code: 'RUN' }));
    const b1 = step('db2', 'b1', 1, 1);
    let s = run(start, ev(1, { type: 'plan', steps: [b1, step('db3', 'c1', 1, 2)] }), ev(1, { type: 'step-start', ...b1 }), ev(1, { type: 'step-failed', ...b1, error: failure }));
    s = run(s, msg(1, { type: 'failed', error: runError }));
    expect(s.binds.map((b) => [b.bind, b.phase])).toEqual([
      ['default', 'starting'],
      ['db2', 'failed'],
      ['db3', 'stopped'],
    ]);
    expect(bind(s, 'db2').error?.reason).toBe('boom');
  });

  it("a part that completed and whose codegen failed after it (CODEGEN_AFTER_RUN): its binds are done, the summary says why the types were not regenerated", () => {
    const cause = new Error("EACCES: permission denied, open '/app/types/db2.ts'");
    const error = Object.assign(new Error('The downgrade completed (1 revision), but regenerating the types of db2 failed: …', { cause }), { name: 'CodegenAfterRunError', code: 'CODEGEN_AFTER_RUN', binds: ['db2'] });
    const b1 = { ...step('db2', 'b1', 1, 1), direction: 'down' as const };
    let s = run(initialRunState('down', [{ binds: ['db2', 'db3'] }], 0), ev(0, { type: 'plan', steps: [b1] }), ev(0, { type: 'step-start', ...b1 }), ev(0, { type: 'step-done', ...b1, elapsedMs: 1 }));
    s = run(s, ev(0, { type: 'bind-done', bind: 'db2', ok: true, heads: [] }), msg(0, { type: 'failed', error: toRunFailure(error) }));
    expect(s.binds.map((b) => [b.bind, b.phase])).toEqual([
      ['db2', 'done'],
      ['db3', 'nothing-to-do'],
    ]);
    expect(s.finishedAt).toBeDefined();
    expect(s.codegenFailures.map((f) => f.reason)).toEqual([cause.message]);
    expect(summarizeRun(s)).toMatchObject({ done: ['db2'], failed: [], unchanged: ['db3'] });
    expect(describeRun(s)).toMatch(
      /^Downgrade finished in .*: db2 downgraded \(1 revision\); db3 already at target\. Types not regenerated: EACCES: permission denied, open '\/app\/types\/db2\.ts' \(run 'migrate codegen' once fixed\)\.$/,
    );
  });

  it('fails every bind of a part when the error names none (a script that does not import)', () => {
    const s = run(start, msg(1, { type: 'failed', error: toRunFailure(Object.assign(new Error('x.ts: syntax error'), { name: 'ScriptError' })) }));
    expect(s.binds.map((b) => b.phase)).toEqual(['starting', 'failed', 'failed']);
    expect(bind(s, 'db3').error?.reason).toBe('x.ts: syntax error');
  });

  it('adds binds a part pulls in, keeps the last output lines, and ticks the clock', () => {
    let s = run(start, ev(0, { type: 'plan', steps: [step('extra', 'x1', 1, 1)] }));
    expect(bind(s, 'extra')).toMatchObject({ group: 0, phase: 'ready', total: 1 });
    for (let i = 0; i < 60; i++) s = run(s, msg(0, { type: 'output', text: `line ${i}` }));
    expect(s.output).toHaveLength(50);
    expect(s.output.at(-1)).toBe('line 59');
    expect(run(s, { type: 'tick', now: 99_999 }).now).toBe(99_999);
  });

  it('shows a warning event among the output lines, naming its bind; the bind goes on', () => {
    const s = run(start, ev(0, { type: 'warning', bind: 'db2', revision: 'r1', code: 'IDENTIFIER_TRUNCATED', message: "op.dropIndex('item') names index 'ix_…' (70 bytes)" }));
    expect(s.output).toEqual([`[db2] WARNING: op.dropIndex('item') names index 'ix_…' (70 bytes)`]);
    expect(bind(s, 'db2').phase).toBe(bind(start, 'db2').phase);
  });
});
