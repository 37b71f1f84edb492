import { describe, expect, it } from 'vitest';
import { bindsReducer, bindsToReview, initialBindsState, type BindsAction, type BindsState } from './use-binds-state.js';

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
    expect(s).toEqual({ names: ['db0', 'default', 'db2'], cursor: 2, selected: ['db2'] });
    expect(run(s, { type: 'names', names: ['x'] })).toEqual({ names: ['x'], cursor: 0, selected: [] });
  });

  it('reviews the selection, or the focused bind when nothing is selected', () => {
    expect(bindsToReview(run(start, { type: 'move', by: 1 }))).toEqual(['db2']);
    expect(bindsToReview(run(start, { type: 'toggle-all' }))).toEqual(['default', 'db2', 'db3']);
    expect(bindsToReview(initialBindsState([]))).toEqual([]);
  });
});
