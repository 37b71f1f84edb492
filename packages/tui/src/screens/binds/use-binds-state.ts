import { useLatestReducer } from '../../shared/use-latest-reducer.js';
import { listReducer } from '../../shared/use-list-state.js';

/**
 * The binds screen's state: a cursor and a selection over bind names in config order, and a
 * filter (typed after `/`) that narrows the list shown.
 */
export interface BindsState {
  /** The bind names, in config order. */
  readonly names: readonly string[];
  /** Each bind's version branch, in the order of `names` (default: its name). */
  readonly branches: readonly string[];
  /** Index of the focused bind in `names` (0 when empty); always a bind the filter shows, when it shows any. */
  readonly cursor: number;
  /** Selected bind names, in config order. */
  readonly selected: readonly string[];
  /** Text a bind's name or branch must contain to be shown (case-insensitive; `''`: every bind). */
  readonly filter: string;
  /** Whether keys type into the filter (after `/`, until enter or Esc). */
  readonly filtering: boolean;
}

/** What changes a {@link BindsState}. */
export type BindsAction =
  | { readonly type: 'move'; readonly by: number }
  | { readonly type: 'first' }
  | { readonly type: 'last' }
  /** Space: selects or unselects the focused bind. */
  | { readonly type: 'toggle' }
  /** `a`: selects every bind shown, or none of them when all are selected. */
  | { readonly type: 'toggle-all' }
  /** `b`: selects every bind of the focused bind's branch (shown or not), or none of them when all are selected. */
  | { readonly type: 'toggle-branch' }
  /** `/`: keys type into the filter. */
  | { readonly type: 'filter-start' }
  /** A key typed into the filter: `text` is added, or with `backspace` the last character removed. */
  | { readonly type: 'filter-type'; readonly text: string }
  | { readonly type: 'filter-backspace' }
  /** Enter (`keep`: the list stays filtered) or Esc (the filter is cleared) ends typing. */
  | { readonly type: 'filter-end'; readonly keep: boolean }
  /** The binds changed (a reload): keeps the selection of binds that remain. */
  | { readonly type: 'names'; readonly names: readonly string[]; readonly branches?: readonly string[] };

/**
 * The state of a binds list with nothing selected, the first bind focused, no filter.
 * @param names - the bind names, in config order.
 * @param branches - their branches, in the same order (default: each bind's name).
 * @example
 * ```ts
 * initialBindsState(['default', 'db2']); // { names: ['default', 'db2'], branches: ['default', 'db2'], cursor: 0, selected: [], filter: '', filtering: false }
 * ```
 */
export function initialBindsState(names: readonly string[], branches: readonly string[] = names): BindsState {
  return { names, branches, cursor: 0, selected: [], filter: '', filtering: false };
}

const inOrder = (names: readonly string[], picked: ReadonlySet<string>) => names.filter((n) => picked.has(n));

/**
 * The indices in `names` of the binds the filter shows, in config order (every bind without a
 * filter). One pass over the names.
 * @example
 * ```ts
 * shownBinds({ ...initialBindsState(['default', 'tenant1', 'tenant2']), filter: 'TEN' }); // [1, 2]
 * ```
 */
export function shownBinds(state: BindsState): number[] {
  const all = state.names.map((_, i) => i);
  if (state.filter === '') return all;
  const needle = state.filter.toLowerCase();
  return all.filter((i) => state.names[i]!.toLowerCase().includes(needle) || (state.branches[i] ?? '').toLowerCase().includes(needle));
}

/** The cursor moved to the shown bind `at` (a position among the shown ones), or kept when none is shown. */
function focus(state: BindsState, shown: readonly number[], at: number): BindsState {
  if (shown.length === 0) return state;
  return { ...state, cursor: shown[Math.max(0, Math.min(at, shown.length - 1))]! };
}

/** The focus after the filter changed: the focused bind if still shown, else the first shown. */
function refocus(state: BindsState): BindsState {
  const shown = shownBinds(state);
  return shown.includes(state.cursor) ? state : focus(state, shown, 0);
}

/** Selects every one of `names`, or unselects them all when they all are selected. */
function toggleMany(state: BindsState, names: readonly string[]): BindsState {
  const picked = new Set(state.selected);
  const all = names.every((n) => picked.has(n));
  for (const n of names) {
    if (all) picked.delete(n);
    else picked.add(n);
  }
  return { ...state, selected: inOrder(state.names, picked) };
}

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
      const shown = shownBinds(state);
      const at = Math.max(0, shown.indexOf(state.cursor));
      const { cursor } = listReducer({ cursor: at, count: shown.length }, action);
      return focus(state, shown, cursor);
    }
    case 'toggle': {
      const name = state.names[state.cursor];
      if (name === undefined || !shownBinds(state).includes(state.cursor)) return state;
      const picked = new Set(state.selected);
      if (picked.has(name)) picked.delete(name);
      else picked.add(name);
      return { ...state, selected: inOrder(state.names, picked) };
    }
    case 'toggle-all':
      if (state.filter === '') return { ...state, selected: state.selected.length === state.names.length ? [] : [...state.names] };
      return toggleMany(state, shownBinds(state).map((i) => state.names[i]!));
    case 'toggle-branch': {
      const branch = state.branches[state.cursor];
      if (branch === undefined) return state;
      return toggleMany(
        state,
        state.names.filter((_, i) => state.branches[i] === branch),
      );
    }
    case 'filter-start':
      return { ...state, filtering: true };
    case 'filter-type':
      return refocus({ ...state, filter: state.filter + action.text });
    case 'filter-backspace':
      return refocus({ ...state, filter: state.filter.slice(0, -1) });
    case 'filter-end':
      return action.keep ? { ...state, filtering: false } : refocus({ ...state, filter: '', filtering: false });
    case 'names': {
      const branches = action.branches ?? action.names;
      const focused = state.names[state.cursor];
      const at = focused === undefined ? -1 : action.names.indexOf(focused);
      const cursor = at >= 0 ? at : Math.max(0, Math.min(state.cursor, action.names.length - 1));
      return refocus({ ...state, names: action.names, branches, cursor, selected: inOrder(action.names, new Set(state.selected)) });
    }
  }
}

/**
 * The binds an `enter` reviews: the selected ones, or the focused one when none is selected.
 * @example
 * ```ts
 * bindsToReview(initialBindsState(['default', 'db2'])); // ['default']
 * ```
 */
export function bindsToReview(state: BindsState): string[] {
  if (state.selected.length) return [...state.selected];
  const focused = state.names[state.cursor];
  return focused === undefined || !shownBinds(state).includes(state.cursor) ? [] : [focused];
}

/**
 * React state of the binds screen; follows `names` when the list of binds changes (keeping the
 * focus, the filter and the selection of binds that remain).
 * @param names - the bind names, in config order.
 * @param branches - their branches, in the same order (default: each bind's name).
 * @returns the state, `dispatch`, and `get` (the latest state, for key handlers).
 * @example
 * ```ts
 * const [state, dispatch] = useBindsState(['default', 'db2']);
 * dispatch({ type: 'toggle' });
 * state.selected; // after the next render: ['default']
 * ```
 */
export function useBindsState(names: readonly string[], branches: readonly string[] = names): [BindsState, (action: BindsAction) => void, () => BindsState] {
  const [, dispatch, get] = useLatestReducer(bindsReducer, () => initialBindsState(names, branches));
  // Followed in the render that brings the new list, not in an effect after it: a frame drawn in
  // between would show the new rows with the old selection and focus (`2 of 2 selected` after a
  // reload removed one of them). Compared by identity first (pass memoized arrays: thousands of
  // binds are not compared on every key); the state keeps the arrays it was given.
  const now = get();
  if (!same(now.names, names) || !same(now.branches, branches)) dispatch({ type: 'names', names, branches });
  return [get(), dispatch, get];
}

/** Whether two lists hold the same names in the same order. */
const same = (a: readonly string[], b: readonly string[]): boolean => a === b || (a.length === b.length && a.every((x, i) => x === b[i]));
