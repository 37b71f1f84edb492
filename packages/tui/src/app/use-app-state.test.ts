import { describe, expect, it } from 'vitest';
import type { BindRow } from '../backend/tui-backend.js';
import { appReducer, currentScreen, exitCode, initialAppState, type AppAction, type AppState } from './use-app-state.js';

const row = (name: string, pending = 0): BindRow => ({ name, branch: name, dialect: 'sqlite', displayUrl: '', current: [], heads: [], pending, status: { kind: 'loading' } });
const run = (state: AppState, ...actions: AppAction[]) => actions.reduce(appReducer, state);
const start = initialAppState([row('default'), row('db2')]);

describe('appReducer', () => {
  it('pushes screens and goes back one at a time; back on the binds screen quits', () => {
    const s = run(start, { type: 'push', screen: { name: 'review', binds: ['db2'] } }, { type: 'push', screen: { name: 'revision', bind: 'db2', revision: 'b1', direction: 'up' } });
    expect(currentScreen(s)).toEqual({ name: 'revision', bind: 'db2', revision: 'b1', direction: 'up' });
    const back = run(s, { type: 'back' }, { type: 'back' });
    expect(back.stack).toEqual([{ name: 'binds' }]);
    expect(back.quit).toBe(false);
    expect(run(back, { type: 'back' }).quit).toBe(true);
  });

  it('replaces the review with the run screen, and goes home reading the binds again', () => {
    let s = run(start, { type: 'push', screen: { name: 'review', binds: ['db2'] } }, { type: 'run', request: { direction: 'up', targets: ['db2@head'] } });
    expect(s.stack).toEqual([{ name: 'binds' }, { name: 'run', request: { direction: 'up', targets: ['db2@head'] }, id: 1 }]);
    s = run(s, { type: 'run-finished', ok: false, summary: 'Upgrade finished: db2 failed.' }, { type: 'home' });
    expect(s).toMatchObject({ stack: [{ name: 'binds' }], reloads: 1, runs: 1, lastRunOk: false, summaries: ['Upgrade finished: db2 failed.'] });
    expect(exitCode(s)).toBe(1);
    expect(exitCode(run(s, { type: 'run-finished', ok: true, summary: '' }))).toBe(0);
    expect(exitCode(start)).toBe(0);
  });

  it('the first ctrl+c of a run marks it stopping; a run stopped by it exits 130 unless something failed', () => {
    let s = run(start, { type: 'run', request: { direction: 'up', targets: ['db2@head'] } }, { type: 'stopping' });
    expect(s.stopping).toBe(true);
    s = run(s, { type: 'run-finished', ok: true, interrupted: true, summary: 'Upgrade stopped: db2 interrupted.' });
    expect(s).toMatchObject({ stopping: false, lastRunOk: true, lastRunInterrupted: true });
    expect(exitCode(s)).toBe(130);
    expect(exitCode(run(s, { type: 'run-finished', ok: false, interrupted: true, summary: '' }))).toBe(1);
    expect(run(s, { type: 'stopping' }, { type: 'run', request: { direction: 'up', targets: [] } }).stopping).toBe(false);
  });

  it('updates one row or all, and opens and closes the help', () => {
    const s = run(start, { type: 'row', row: row('db2', 3) }, { type: 'help', open: true });
    expect(s.rows.map((r) => r.pending)).toEqual([0, 3]);
    expect(s.help).toBe(true);
    expect(run(s, { type: 'push', screen: { name: 'downgrade', bind: 'db2' } }).help).toBe(false);
    expect(run(s, { type: 'rows', rows: [row('x')] }).rows.map((r) => r.name)).toEqual(['x']);
  });
});
