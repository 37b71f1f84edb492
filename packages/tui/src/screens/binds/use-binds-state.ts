import { useEffect } from 'react';
import { useLatestReducer } from '../../shared/use-latest-reducer.js';
import { listReducer } from '../../shared/use-list-state.js';

/** The binds screen's state: a cursor and a selection, over bind names in config order. */
export interface BindsState {
  /** The bind names, in config order. */
  readonly names: readonly string[];
  /** Index of the focused bind in `names` (0 when empty). */
  readonly cursor: number;
  /** Selected bind names, in config order. */
  readonly selected: readonly string[];
}

/** What changes a {@link BindsState}. */
export type BindsAction =
  | { readonly type: 'move'; readonly by: number }
  | { readonly type: 'first' }
  | { readonly type: 'last' }
  /** Space: selects or unselects the focused bind. */
  | { readonly type: 'toggle' }
  /** `a`: selects every bind, or none when all are selected. */
  | { readonly type: 'toggle-all' }
  /** The binds changed (a reload): keeps the selection of binds that remain. */
  | { readonly type: 'names'; readonly names: readonly string[] };

/**
 * The state of a binds list with nothing selected, the first bind focused.
 * @param names - the bind names, in config order.
 * @example
 * ```ts
 * initialBindsState(['default', 'db2']); // { names: ['default', 'db2'], cursor: 0, selected: [] }
 * ```
 */
export function initialBindsState(names: readonly string[]): BindsState {
  return { names, cursor: 0, selected: [] };
}

const inOrder = (names: readonly string[], picked: ReadonlySet<string>) => names.filter((n) => picked.has(n));

/**
 * The binds screen's reducer (plain function).
 * @example
 * ```ts
 * let s = initialBindsState(['default', 'db2']);
 * s = bindsReducer(s, { type: 'toggle-all' }); // s.selected: ['default', 'db2']
 * ```
 */
export function bindsReducer(state: BindsState, action: BindsAction): BindsState {
  switch (action.type) {
    case 'move':
    case 'first':
    case 'last': {
      const { cursor } = listReducer({ cursor: state.cursor, count: state.names.length }, action);
      return { ...state, cursor };
    }
    case 'toggle': {
      const name = state.names[state.cursor];
      if (name === undefined) return state;
      const picked = new Set(state.selected);
      if (picked.has(name)) picked.delete(name);
      else picked.add(name);
      return { ...state, selected: inOrder(state.names, picked) };
    }
    case 'toggle-all':
      return { ...state, selected: state.selected.length === state.names.length ? [] : [...state.names] };
    case 'names': {
      const focused = state.names[state.cursor];
      const at = focused === undefined ? -1 : action.names.indexOf(focused);
      const cursor = at >= 0 ? at : Math.max(0, Math.min(state.cursor, action.names.length - 1));
      return { names: action.names, cursor, selected: inOrder(action.names, new Set(state.selected)) };
    }
  }
}

/**
 * The binds an `enter` reviews: the selected ones, or the focused one when none is selected.
 * @example
 * ```ts
 * bindsToReview({ names: ['default', 'db2'], cursor: 1, selected: [] }); // ['db2']
 * ```
 */
export function bindsToReview(state: BindsState): string[] {
  if (state.selected.length) return [...state.selected];
  const focused = state.names[state.cursor];
  return focused === undefined ? [] : [focused];
}

/**
 * React state of the binds screen; follows `names` when the list of binds changes (keeping the
 * focus and the selection of binds that remain).
 * @param names - the bind names, in config order.
 * @returns the state, `dispatch`, and `get` (the latest state, for key handlers).
 * @example
 * ```ts
 * const [state, dispatch] = useBindsState(['default', 'db2']);
 * dispatch({ type: 'toggle' });
 * state.selected; // after the next render: ['default']
 * ```
 */
export function useBindsState(names: readonly string[]): [BindsState, (action: BindsAction) => void, () => BindsState] {
  const [state, dispatch, get] = useLatestReducer(bindsReducer, () => initialBindsState(names));
  const key = names.join('\n');
  useEffect(() => {
    if (get().names.join('\n') !== key) dispatch({ type: 'names', names: key === '' ? [] : key.split('\n') });
  }, [key, get, dispatch]);
  return [state, dispatch, get];
}
