import type { StepInfo } from '@multidb/core';
import { describe, expect, it } from 'vitest';
import { toRunFailure } from '../../run/run-message.js';
import { overviewLines } from './run-screen.js';
import { describeRun } from './run-summary.js';
import { progressCategory, runOverview } from './run-overview.js';
import { initialRunState, runReducer, type RunAction, type RunState } from './use-run-state.js';

const N = 2000;
const tenants = Array.from({ length: N }, (_, i) => `t${String(i).padStart(4, '0')}`);
const branches = Object.fromEntries(tenants.map((t) => [t, 'tenant']));
const step = (bind: string, index = 1, total = 1): StepInfo => ({ bind, revision: `r${index}`, direction: 'up', index, total, message: `step ${index}`, downRevisions: [], from: [] });
const ev = (group: number, event: Extract<RunAction, { type: 'message' }>['message'] & { type: 'event' }, now = 1): RunAction => ({ type: 'message', group, message: event, now });
const event = (e: Parameters<typeof ev>[1]['event']) => ({ type: 'event' as const, event: e });

/** An array that counts how many of its elements are read (by index, by iteration, by any array method). */
function counted<T>(items: readonly T[]): { array: readonly T[]; reads: () => number } {
  let reads = 0;
  const array = new Proxy(items as T[], {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  return { array, reads: () => reads };
}

/** The state with its binds behind a counting proxy. */
function watched(state: RunState) {
  const binds = counted(state.binds);
  return { state: { ...state, binds: binds.array }, reads: binds.reads };
}

describe('a run over 2,000 tenant binds of one branch', () => {
  // Four parts of 500 binds, as the backend packs them.
  const groups = [0, 1, 2, 3].map((g) => ({ binds: tenants.slice(g * 500, g * 500 + 500) }));
  const start = initialRunState('up', groups, 0, branches);

  it('takes a plan of 2,000 binds reading each step and each bind a bounded number of times', () => {
    const steps = counted(tenants.map((t) => step(t)));
    const before = watched(start);
    const s = runReducer(before.state, ev(0, event({ type: 'plan', steps: steps.array })));
    expect(steps.reads()).toBeLessThanOrEqual(2 * N);
    expect(before.reads()).toBeLessThanOrEqual(3 * N);
    expect(s.binds.every((b) => b.phase === 'ready' && b.total === 1)).toBe(true);
  });

  it('changes only the bind an event names: the others stay the same objects, each read at most once', () => {
    const planned = runReducer(start, ev(0, event({ type: 'plan', steps: tenants.map((t) => step(t)) })));
    const before = watched(planned);
    const s = runReducer(before.state, ev(0, event({ type: 'step-start', ...step('t0007') })));
    expect(before.reads()).toBeLessThanOrEqual(N + 2);
    const changed = s.binds.filter((b, i) => b !== planned.binds[i]).map((b) => [b.bind, b.phase]);
    expect(changed).toEqual([['t0007', 'running']]);
    // Nothing is rebuilt from the binds: the index is shared with the state before.
    expect(s.index).toBe(planned.index);
  });

  it('sums the run up in one pass: counts per category, per branch, and the binds worth a line', () => {
    const error = toRunFailure(Object.assign(new Error('[t0003] failed'), { name: 'MigrationError', bind: 't0003', revision: 'r1', cause: new Error('no such table: x') }));
    let s = runReducer(start, ev(0, event({ type: 'plan', steps: tenants.map((t) => step(t)) })));
    for (const t of tenants.slice(0, 3)) {
      s = runReducer(s, ev(0, event({ type: 'step-start', ...step(t) })));
      s = runReducer(s, ev(0, event({ type: 'step-done', ...step(t), elapsedMs: 1 })));
      s = runReducer(s, ev(0, event({ type: 'bind-done', bind: t, ok: true, heads: ['r1'] })));
    }
    s = runReducer(s, ev(0, event({ type: 'step-start', ...step('t0003') })));
    s = runReducer(s, ev(0, event({ type: 'step-failed', ...step('t0003'), error })));
    s = runReducer(s, ev(1, event({ type: 'step-start', ...step('t0500') })));
    s = runReducer(s, ev(2, event({ type: 'lock-wait', bind: 't1000' })));
    const { state, reads } = watched(s);
    const overview = runOverview(state);
    expect(reads()).toBe(N);
    expect(overview.all).toEqual({ done: 3, running: 2, failed: 1, pending: N - 6, stopped: 0, interrupted: 0, total: N });
    expect(overview.branches).toEqual([{ branch: 'tenant', ...overview.all }]);
    expect(overview.attention.map((b) => [b.bind, progressCategory(b)])).toEqual([
      ['t0500', 'running'],
      ['t1000', 'running'],
      ['t0003', 'failed'],
    ]);
    const lines = overviewLines(s, overview, { width: 80, lines: 12, offset: 0 }).map((l) => l.text);
    expect(lines[0]).toBe('2,000 binds: 3 done · 2 running · 1 failed · 1,994 pending');
    expect(lines[1]).toBe(`tenant  ${'░'.repeat(20)} 4/2,000  ✔ 3  ⠿ 2  ✘ 1  · 1,994`);
    expect(lines.length).toBeLessThanOrEqual(12);
  });

  it('shows as many binds in detail as fit, and says which ones', () => {
    let s = runReducer(start, ev(0, event({ type: 'plan', steps: tenants.map((t) => step(t)) })));
    // 40 binds running at once (four parts of 10, say).
    for (const t of tenants.slice(0, 40)) s = runReducer(s, ev(0, event({ type: 'step-start', ...step(t) })));
    const overview = runOverview(s);
    const lines = overviewLines(s, overview, { width: 80, lines: 10, offset: 5 }).map((l) => l.text);
    expect(lines).toHaveLength(10);
    expect(lines.slice(3, 9).map((l) => l.slice(2, 7))).toEqual(['t0005', 't0006', 't0007', 't0008', 't0009', 't0010']);
    expect(lines[9]).toBe('… running or failed binds 6-11 of 40 · ↑ ↓ scroll');
  });

  it('sums up the end in a few lines: the first names of each kind, then counts', () => {
    let s = runReducer(start, ev(0, event({ type: 'plan', steps: tenants.map((t) => step(t)) })));
    for (const t of tenants.slice(0, 10)) {
      const error = toRunFailure(Object.assign(new Error(`[${t}] failed`), { name: 'MigrationError', bind: t, revision: 'r1', cause: new Error('boom') }));
      s = runReducer(s, ev(0, event({ type: 'step-start', ...step(t) })));
      s = runReducer(s, ev(0, event({ type: 'step-failed', ...step(t), error })));
    }
    for (const t of tenants.slice(500)) {
      const g = Math.floor(Number(t.slice(1)) / 500);
      s = runReducer(s, ev(g, event({ type: 'step-start', ...step(t) })));
      s = runReducer(s, ev(g, event({ type: 'step-done', ...step(t), elapsedMs: 1 })));
      s = runReducer(s, ev(g, event({ type: 'bind-done', bind: t, ok: true, heads: ['r1'] })));
    }
    for (const g of [0, 1, 2, 3]) s = runReducer(s, { type: 'message', group: g, message: { type: 'finished' }, now: 2500 });
    expect(describeRun(s)).toBe(
      'Upgrade finished in 2.5 s: t0500, t0501, t0502, t0503, t0504 and 1,495 more upgraded (1,500 revisions); ' +
        't0000 failed at r1, stays at base; t0001 failed at r1, stays at base; t0002 failed at r1, stays at base; 7 more failed; ' +
        't0010, t0011, t0012, t0013, t0014 and 485 more already at target. Running the upgrade again, once what failed is fixed, runs only what is left.',
    );
  });
});
