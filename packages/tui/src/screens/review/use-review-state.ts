import type { HistoryEntry, ReviewBind, ReviewModel, ReviewStep } from '../../backend/tui-backend.js';
import { useLatestReducer } from '../../shared/use-latest-reducer.js';
import { listReducer } from '../../shared/use-list-state.js';

/** What the review screen lists: the plan (pending revisions in run order) or each bind's history. */
export type ReviewMode = 'plan' | 'history';

/** One line of the review screen. `step`, `history` and `upgrade` lines can be focused. */
export type ReviewItem =
  | { readonly kind: 'bind'; readonly bind: ReviewBind }
  | { readonly kind: 'step'; readonly step: ReviewStep }
  | { readonly kind: 'history'; readonly bind: string; readonly entry: HistoryEntry }
  | { readonly kind: 'empty'; readonly bind: string }
  | { readonly kind: 'upgrade'; readonly binds: number; readonly steps: number };

/**
 * Whether a line of the review screen can take the cursor: a revision step, a history entry, or the
 * closing `Upgrade` line.
 * @example
 * ```ts
 * isFocusable({ kind: 'upgrade', binds: 1, steps: 2 }); // true
 * isFocusable({ kind: 'empty', bind: 'db2' });          // false
 * ```
 */
export function isFocusable(item: ReviewItem): boolean {
  return item.kind === 'step' || item.kind === 'history' || item.kind === 'upgrade';
}

/**
 * The lines of the review screen in a mode (pure).
 * @example
 * ```ts
 * reviewItems(await backend.review(['db2']), 'plan').filter(isFocusable).length; // steps + the Upgrade line
 * ```
 */
export function reviewItems(model: ReviewModel, mode: ReviewMode): ReviewItem[] {
  const items: ReviewItem[] = [];
  for (const bind of model.binds) {
    items.push({ kind: 'bind', bind });
    const entries = mode === 'plan' ? bind.steps.map((step): ReviewItem => ({ kind: 'step', step })) : bind.history.map((entry): ReviewItem => ({ kind: 'history', bind: bind.bind, entry }));
    items.push(...(entries.length ? entries : [{ kind: 'empty', bind: bind.bind } as const]));
  }
  if (mode === 'plan' && model.totalSteps > 0) items.push({ kind: 'upgrade', binds: model.binds.filter((b) => b.steps.length).length, steps: model.totalSteps });
  return items;
}

/** The review screen's state: the mode and a cursor per mode (an index among focusable lines). */
export interface ReviewState {
  /** What the screen lists: the plan or each bind's history. */
  readonly mode: ReviewMode;
  /**
   * The focused line in each mode, as an index among its focusable lines (each mode keeps its own).
   */
  readonly cursor: Readonly<Record<ReviewMode, number>>;
}

/** What changes a {@link ReviewState}; `count` is the number of focusable lines of the current mode. */
export type ReviewAction =
  | { readonly type: 'move'; readonly by: number; readonly count: number }
  | { readonly type: 'first'; readonly count: number }
  | { readonly type: 'last'; readonly count: number }
  | { readonly type: 'toggle-mode' };

/** The review screen's state on entry: the plan, first revision focused. */
export const initialReviewState: ReviewState = Object.freeze({ mode: 'plan', cursor: Object.freeze({ plan: 0, history: 0 }) });

/**
 * The review screen's reducer (plain function).
 * @example
 * ```ts
 * reviewReducer(initialReviewState, { type: 'toggle-mode' }).mode; // 'history'
 * ```
 */
export function reviewReducer(state: ReviewState, action: ReviewAction): ReviewState {
  if (action.type === 'toggle-mode') return { ...state, mode: state.mode === 'plan' ? 'history' : 'plan' };
  const { count, ...move } = action;
  const { cursor } = listReducer({ cursor: state.cursor[state.mode], count }, move as Parameters<typeof listReducer>[1]);
  return { ...state, cursor: { ...state.cursor, [state.mode]: cursor } };
}

/**
 * React state of the review screen, starting in `plan` mode with the first line focused.
 * @returns the state, `dispatch`, and `get` (the latest state, for key handlers).
 * @example
 * ```ts
 * const [state, dispatch] = useReviewState();
 * dispatch({ type: 'toggle-mode' }); // state.mode: 'history' after the next render
 * ```
 */
export function useReviewState(): [ReviewState, (action: ReviewAction) => void, () => ReviewState] {
  return useLatestReducer(reviewReducer, initialReviewState);
}
