import { describe, expect, it } from 'vitest';
import { bindsReducer, bindsToReview, initialBindsState, shownBinds, type BindsAction, type BindsState } from './use-binds-state.js';

const run = (state: BindsState, ...actions: BindsAction[]) => actions.reduce(bindsReducer, state);
const start = initialBindsState(['default', 'db2', 'db3']);

describe('bindsReducer', () => {
  it('moves the cursor and stops at the ends', () => {
    expect(run(start, { type: 'move', by: -1 }).cursor).toBe(0);
    expect(run(start, { type: 'move', by: 1 }, { type: 'move', by: 1 }, { type: 'move', by: 1 }).cursor).toBe(2);
    expect(run(start, { type: 'last' }, { type: 'first' }).cursor).toBe(0);
  });

  it('toggles the focused bind and keeps the selection in config order', () => {
    const s = run(start, { type: 'move', by: 2 }, { type: 'toggle' }, { type: 'first' }, { type: 'toggle' });
    expect(s.selected).toEqual(['default', 'db3']);
    expect(run(s, { type: 'toggle' }).selected).toEqual(['db3']);
  });

  it('selects all, then none', () => {
    const all = run(start, { type: 'toggle-all' });
    expect(all.selected).toEqual(['default', 'db2', 'db3']);
    expect(run(all, { type: 'toggle-all' }).selected).toEqual([]);
    expect(run(start, { type: 'toggle' }, { type: 'toggle-all' }).selected).toEqual(['default', 'db2', 'db3']);
  });

  it('keeps focus and selection across a reload', () => {
    const s = run(start, { type: 'move', by: 1 }, { type: 'toggle' }, { type: 'names', names: ['db0', 'default', 'db2'] });
    expect(s).toMatchObject({ names: ['db0', 'default', 'db2'], cursor: 2, selected: ['db2'] });
    expect(run(s, { type: 'names', names: ['x'] })).toMatchObject({ names: ['x'], cursor: 0, selected: [] });
  });

  it('reviews the selection, or the focused bind when nothing is selected', () => {
    expect(bindsToReview(run(start, { type: 'move', by: 1 }))).toEqual(['db2']);
    expect(bindsToReview(run(start, { type: 'toggle-all' }))).toEqual(['default', 'db2', 'db3']);
    expect(bindsToReview(initialBindsState([]))).toEqual([]);
  });

  describe('with 2,000 tenants sharing a branch', () => {
    const tenants = Array.from({ length: 2000 }, (_, i) => `tenant${String(i).padStart(4, '0')}`);
    const many = initialBindsState(['default', ...tenants, 'audit'], ['default', ...tenants.map(() => 'tenant'), 'audit']);

    it('selects every bind of the focused bind\'s branch with b, and none with b again', () => {
      const s = run(many, { type: 'move', by: 5 }, { type: 'toggle-branch' });
      expect(s.selected).toEqual(tenants);
      expect(run(s, { type: 'toggle-branch' }).selected).toEqual([]);
      expect(run(many, { type: 'toggle-branch' }).selected).toEqual(['default']);
    });

    it('filters by name or branch as it is typed, moving the focus onto what is shown', () => {
      let s = run(many, { type: 'filter-start' }, ...[...'TENANT19'].map((text): BindsAction => ({ type: 'filter-type', text })));
      expect(s.filtering).toBe(true);
      expect(shownBinds(s).map((i) => s.names[i])).toEqual(tenants.slice(1900));
      expect(s.names[s.cursor]).toBe('tenant1900');
      s = run(s, { type: 'filter-end', keep: true }, { type: 'last' }, { type: 'toggle' }, { type: 'toggle-all' });
      expect(s.filtering).toBe(false);
      expect(s.names[s.cursor]).toBe('tenant1999');
      // a: every bind shown (tenant1999 was already), nothing else.
      expect(s.selected).toEqual(tenants.slice(1900));
      s = run(s, { type: 'filter-backspace' }, { type: 'filter-backspace' });
      expect(shownBinds(s)).toHaveLength(2000); // 'tenant' matches the branch of every tenant
      expect(run(s, { type: 'filter-end', keep: false })).toMatchObject({ filter: '', filtering: false });
      expect(shownBinds(run(s, { type: 'filter-type', text: 'zzz' }))).toEqual([]);
      expect(bindsToReview(run(many, { type: 'filter-type', text: 'zzz' }))).toEqual([]);
    });
  });
});
