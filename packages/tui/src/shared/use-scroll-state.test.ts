import { describe, expect, it } from 'vitest';
import { scrollReducer } from './use-scroll-state.js';

describe('scrollReducer', () => {
  const s = { offset: 0, total: 100, viewport: 20 };
  it('scrolls by lines and pages within the text', () => {
    expect(scrollReducer(s, { type: 'scroll', by: -1 }).offset).toBe(0);
    expect(scrollReducer(s, { type: 'scroll', by: 3 }).offset).toBe(3);
    expect(scrollReducer(s, { type: 'page', by: 1 }).offset).toBe(19);
    expect(scrollReducer(s, { type: 'bottom' }).offset).toBe(80);
    expect(scrollReducer({ ...s, offset: 50 }, { type: 'top' }).offset).toBe(0);
  });
  it('stays in range when the text or the viewport changes', () => {
    expect(scrollReducer({ ...s, offset: 80 }, { type: 'resize', total: 30, viewport: 20 })).toEqual({ offset: 10, total: 30, viewport: 20 });
    expect(scrollReducer(s, { type: 'resize', total: 5, viewport: 20 }).offset).toBe(0);
  });
  it('keeps a viewer at the bottom at the bottom on a terminal resize (keepBottom), wherever the bottom moves', () => {
    const bottom = { ...s, offset: 80 };
    expect(scrollReducer(bottom, { type: 'resize', total: 120, viewport: 20, keepBottom: true }).offset).toBe(100);
    expect(scrollReducer(bottom, { type: 'resize', total: 100, viewport: 10, keepBottom: true }).offset).toBe(90);
    expect(scrollReducer(bottom, { type: 'resize', total: 120, viewport: 20 }).offset).toBe(80);
    // Not at the bottom, or a text that fitted: the offset stays.
    expect(scrollReducer({ ...s, offset: 79 }, { type: 'resize', total: 120, viewport: 20, keepBottom: true }).offset).toBe(79);
    expect(scrollReducer({ offset: 0, total: 10, viewport: 20 }, { type: 'resize', total: 30, viewport: 20, keepBottom: true }).offset).toBe(0);
  });
});
