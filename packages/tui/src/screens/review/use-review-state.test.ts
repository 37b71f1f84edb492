import { describe, expect, it } from 'vitest';
import type { ReviewModel } from '../../backend/tui-backend.js';
import { groupReviewBinds, initialReviewState, isFocusable, reviewItems, reviewReducer } from './use-review-state.js';

const step = (bind: string, revision: string, index: number, total: number) => ({ bind, revision, message: revision, file: `/p/${revision}.ts`, downRevisions: [], index, total, dependsOn: [] });
const model: ReviewModel = {
  targets: ['default@head', 'db2@head'],
  totalSteps: 2,
  binds: [
    { bind: 'default', selected: true, current: ['a1'], steps: [step('default', 'a2', 1, 2), step('default', 'a3', 2, 2)], history: [{ revision: 'a1', message: 'm', state: 'current', isHead: false }] },
    { bind: 'db2', selected: true, current: ['b1'], steps: [], history: [] },
  ],
};

/** `n` tenants (`t0`, `t1`, …) at base with the same two steps; every tenant in `odd` at a1 instead, one step left. */
function tenants(n: number, odd: ReadonlySet<number> = new Set()): ReviewModel {
  const binds = Array.from({ length: n }, (_, i) => {
    const bind = `t${i}`;
    return odd.has(i)
      ? { bind, selected: true, current: ['a1'], steps: [step(bind, 'a2', 1, 1)], history: [] }
      : { bind, selected: true, current: [], steps: [step(bind, 'a1', 1, 2), step(bind, 'a2', 2, 2)], history: [] };
  });
  return { targets: binds.map((b) => `${b.bind}@head`), totalSteps: binds.reduce((sum, b) => sum + b.steps.length, 0), binds };
}

describe('groupReviewBinds', () => {
  it('puts binds with the same revisions and plan together, in the order of their first bind', () => {
    const groups = groupReviewBinds(tenants(2000, new Set([1, 1999])).binds);
    expect(groups.map((g) => g.length)).toEqual([1998, 2]);
    expect(groups[1]!.map((b) => b.bind)).toEqual(['t1', 't1999']);
    expect(groupReviewBinds(model.binds).map((g) => g.map((b) => b.bind))).toEqual([['default'], ['db2']]);
  });

  it('keeps apart binds pulled in and binds selected, and binds whose step depends on another bind', () => {
    const [a, b] = tenants(2).binds;
    const dependent = { ...b!, steps: [b!.steps[0]!, { ...b!.steps[1]!, dependsOn: [{ revision: 'x1', branch: 'default', binds: ['default'], inPlan: true }] }] };
    expect(groupReviewBinds([a!, { ...b!, selected: false }])).toHaveLength(2);
    expect(groupReviewBinds([a!, dependent])).toHaveLength(2);
  });
});

describe('reviewItems', () => {
  it('groups binds with the same plan only when a line per bind does not fit the lines given', () => {
    const big = tenants(2000, new Set([7]));
    expect(reviewItems(big, 'plan', 18).map((i) => i.kind)).toEqual(['group', 'step', 'step', 'bind', 'step', 'upgrade']);
    expect(reviewItems(big, 'plan', 18).at(-1)).toEqual({ kind: 'upgrade', binds: 2000, steps: 3999 });
    expect(reviewItems(big, 'plan')).toHaveLength(2000 * 3);
    const small = tenants(3);
    expect(reviewItems(small, 'plan', 18).map((i) => i.kind)).toEqual(['bind', 'step', 'step', 'bind', 'step', 'step', 'bind', 'step', 'step', 'upgrade']);
    expect(reviewItems(small, 'history', 4).map((i) => i.kind)).toEqual(['group', 'empty']);
  });


  it('lists each bind with its steps, an empty note, and the Upgrade line', () => {
    expect(reviewItems(model, 'plan').map((i) => i.kind)).toEqual(['bind', 'step', 'step', 'bind', 'empty', 'upgrade']);
    expect(reviewItems(model, 'plan').at(-1)).toEqual({ kind: 'upgrade', binds: 1, steps: 2 });
    expect(reviewItems(model, 'history').map((i) => i.kind)).toEqual(['bind', 'history', 'bind', 'empty']);
    expect(reviewItems(model, 'plan').filter(isFocusable)).toHaveLength(3);
  });

  it('has no Upgrade line when nothing is pending', () => {
    expect(reviewItems({ ...model, totalSteps: 0, binds: [model.binds[1]!] }, 'plan').map((i) => i.kind)).toEqual(['bind', 'empty']);
  });
});

describe('reviewReducer', () => {
  it('keeps a cursor per mode', () => {
    let s = reviewReducer(initialReviewState, { type: 'move', by: 2, count: 3 });
    expect(s.cursor).toEqual({ plan: 2, history: 0 });
    s = reviewReducer(s, { type: 'toggle-mode' });
    s = reviewReducer(s, { type: 'last', count: 1 });
    expect(s).toEqual({ mode: 'history', cursor: { plan: 2, history: 0 }, confirming: false });
    s = reviewReducer(reviewReducer(s, { type: 'toggle-mode' }), { type: 'first', count: 3 });
    expect(s.cursor.plan).toBe(0);
  });
});
