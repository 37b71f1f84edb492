import { describe, expect, it } from 'vitest';
import { listReducer, windowStart } from './use-list-state.js';

describe('listReducer', () => {
  it('moves within the list and follows a new count', () => {
    expect(listReducer({ cursor: 0, count: 3 }, { type: 'move', by: 5 })).toEqual({ cursor: 2, count: 3 });
    expect(listReducer({ cursor: 2, count: 3 }, { type: 'move', by: -9 })).toEqual({ cursor: 0, count: 3 });
    expect(listReducer({ cursor: 2, count: 3 }, { type: 'count', count: 1 })).toEqual({ cursor: 0, count: 1 });
    expect(listReducer({ cursor: 0, count: 0 }, { type: 'last' })).toEqual({ cursor: 0, count: 0 });
  });
});

describe('windowStart', () => {
  it('shows everything when it fits, else keeps the cursor in the middle', () => {
    expect(windowStart(3, 5, 10)).toBe(0);
    expect(windowStart(0, 40, 6)).toBe(0);
    expect(windowStart(10, 40, 6)).toBe(7);
    expect(windowStart(39, 40, 6)).toBe(34);
  });
});
