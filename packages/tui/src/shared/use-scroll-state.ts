import { useLatestReducer } from './use-latest-reducer.js';

/** A viewport of `viewport` lines over `total` lines, from `offset`. */
export interface ScrollState {
  /** Index of the first line shown (0 to `total - viewport`). */
  readonly offset: number;
  /** Number of lines of the text. */
  readonly total: number;
  /** Number of lines shown at once. */
  readonly viewport: number;
}

/** What moves a {@link ScrollState}: lines, pages, the ends, or a new size. */
export type ScrollAction =
  | { readonly type: 'scroll'; readonly by: number }
  | { readonly type: 'page'; readonly by: number }
  | { readonly type: 'top' }
  | { readonly type: 'bottom' }
  /**
   * The text's length or the viewport's height changed. With `keepBottom` (a terminal resize), a
   * viewer scrolled to the bottom of its text stays there; otherwise the offset is kept, in range.
   */
  | { readonly type: 'resize'; readonly total: number; readonly viewport: number; readonly keepBottom?: boolean };

const maxOffset = (s: ScrollState) => Math.max(0, s.total - s.viewport);
const at = (s: ScrollState, offset: number): ScrollState => ({ ...s, offset: Math.max(0, Math.min(offset, maxOffset(s))) });

/**
 * The scroll reducer of a text viewer (plain function).
 * @example
 * ```ts
 * scrollReducer({ offset: 0, total: 100, viewport: 20 }, { type: 'page', by: 1 }).offset; // 19
 * scrollReducer({ offset: 80, total: 100, viewport: 20 }, { type: 'resize', total: 120, viewport: 10, keepBottom: true }).offset; // 110
 * ```
 */
export function scrollReducer(state: ScrollState, action: ScrollAction): ScrollState {
  switch (action.type) {
    case 'scroll':
      return at(state, state.offset + action.by);
    case 'page':
      return at(state, state.offset + action.by * Math.max(1, state.viewport - 1));
    case 'top':
      return at(state, 0);
    case 'bottom':
      return at(state, maxOffset(state));
    case 'resize': {
      const next = { ...state, total: action.total, viewport: action.viewport };
      // At the bottom (of a text longer than the viewport): at the bottom of the new one.
      const atBottom = action.keepBottom === true && state.offset > 0 && state.offset >= maxOffset(state);
      return at(next, atBottom ? maxOffset(next) : state.offset);
    }
  }
}

/**
 * React state of a viewer, starting at the top; follows the text's length and the viewport's height
 * (keeping the offset in range, and a viewer at the bottom at the bottom: a terminal resize re-wraps
 * the text) in the render that brings them, so no frame shows an offset past a text that got
 * shorter.
 * @param total - number of lines of the text.
 * @param viewport - number of lines shown at once.
 * @returns the state and `dispatch`.
 * @example
 * ```ts
 * const [scroll, dispatch] = useScrollState(120, 20);
 * dispatch({ type: 'page', by: 1 }); // scroll.offset: 19 after the next render
 * ```
 */
export function useScrollState(total: number, viewport: number): [ScrollState, (action: ScrollAction) => void] {
  const [, dispatch, get] = useLatestReducer(scrollReducer, { offset: 0, total, viewport });
  // Followed here, not in an effect after the render: a frame drawn in between would show the
  // old offset over the new text (an empty body, `lines 451-60 of 60`).
  const now = get();
  if (now.total !== total || now.viewport !== viewport) dispatch({ type: 'resize', total, viewport, keepBottom: true });
  return [get(), dispatch];
}
