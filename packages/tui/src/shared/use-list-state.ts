import { useLatestReducer } from './use-latest-reducer.js';


/** A cursor over a list of `count` items. */
export interface ListState {
  /** Index of the focused item (0 when the list is empty). */
  readonly cursor: number;
  /** Number of items in the list. */
  readonly count: number;
}

/** What moves a {@link ListState}. `move` stops at the ends; `count` keeps the cursor in range. */
export type ListAction =
  | { readonly type: 'move'; readonly by: number }
  | { readonly type: 'first' }
  | { readonly type: 'last' }
  | { readonly type: 'count'; readonly count: number };

const clamp = (n: number, count: number) => Math.max(0, Math.min(n, count - 1));

/**
 * The reducer of a list cursor (plain function, no React).
 * @example
 * ```ts
 * listReducer({ cursor: 0, count: 3 }, { type: 'move', by: 1 }); // { cursor: 1, count: 3 }
 * ```
 */
export function listReducer(state: ListState, action: ListAction): ListState {
  switch (action.type) {
    case 'move':
      return { ...state, cursor: clamp(state.cursor + action.by, state.count) };
    case 'first':
      return { ...state, cursor: 0 };
    case 'last':
      return { ...state, cursor: clamp(state.count - 1, state.count) };
    case 'count':
      return { count: action.count, cursor: clamp(state.cursor, action.count) };
  }
}

/**
 * First index of a window of `visible` items that shows the cursor, keeping it near the middle.
 * @example
 * ```ts
 * windowStart(10, 40, 6); // 7: items 7..12 are shown
 * ```
 */
export function windowStart(cursor: number, count: number, visible: number): number {
  if (visible <= 0 || count <= visible) return 0;
  return Math.max(0, Math.min(cursor - Math.floor(visible / 2), count - visible));
}

/**
 * React state of a list cursor, starting on the first item.
 * @param count - number of items.
 * @returns the state, `dispatch`, and `get` (the latest state, for key handlers).
 * @example
 * ```ts
 * const [list, dispatch] = useListState(5);
 * dispatch({ type: 'move', by: 1 }); // list.cursor: 1 after the next render
 * ```
 */
export function useListState(count: number): [ListState, (action: ListAction) => void, () => ListState] {
  return useLatestReducer(listReducer, { cursor: 0, count });
}
