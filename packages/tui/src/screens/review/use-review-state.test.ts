import { describe, expect, it } from 'vitest';
import type { ReviewModel } from '../../backend/tui-backend.js';
import { initialReviewState, isFocusable, reviewItems, reviewReducer } from './use-review-state.js';

const step = (bind: string, revision: string, index: number, total: number) => ({ bind, revision, message: revision, file: `/p/${revision}.ts`, downRevisions: [], index, total, dependsOn: [] });
const model: ReviewModel = {
  targets: ['default@head', 'db2@head'],
  totalSteps: 2,
  binds: [
    { bind: 'default', selected: true, current: ['a1'], steps: [step('default', 'a2', 1, 2), step('default', 'a3', 2, 2)], history: [{ revision: 'a1', message: 'm', state: 'current', isHead: false }] },
    { bind: 'db2', selected: true, current: ['b1'], steps: [], history: [] },
  ],
};

describe('reviewItems', () => {
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
    expect(s).toEqual({ mode: 'history', cursor: { plan: 2, history: 0 } });
    s = reviewReducer(reviewReducer(s, { type: 'toggle-mode' }), { type: 'first', count: 3 });
    expect(s.cursor.plan).toBe(0);
  });
});
