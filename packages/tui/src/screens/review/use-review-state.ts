import type { HistoryEntry, ReviewBind, ReviewModel, ReviewStep } from '../../backend/tui-backend.js';
import { useLatestReducer } from '../../shared/use-latest-reducer.js';
import { listReducer } from '../../shared/use-list-state.js';

/** What the review screen lists: the plan (pending revisions in run order) or each bind's history. */
export type ReviewMode = 'plan' | 'history';

/** One line of the review screen. `step`, `history` and `upgrade` lines can be focused. */
export type ReviewItem =
  | { readonly kind: 'bind'; readonly bind: ReviewBind }
  | { readonly kind: 'group'; readonly binds: readonly ReviewBind[] }
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
 * The binds of a planned upgrade put together when they show the same lines: selected (or pulled
 * in) alike, at the same revisions, with the same pending revisions (and their depends-on) and the
 * same history, as tenants of one branch usually are. Groups come in the order of their first
 * bind; each keeps its binds in the plan's order. One pass over the binds.
 * @param binds - the binds of the plan ({@link ReviewModel.binds}).
 * @returns the groups; each has at least one bind.
 * @example
 * ```ts
 * groupReviewBinds((await backend.review(targets)).binds).map((g) => g.length); // 2,000 tenants at one revision: [2000]
 * ```
 */
export function groupReviewBinds(binds: readonly ReviewBind[]): ReviewBind[][] {
  const groups = new Map<string, ReviewBind[]>();
  for (const b of binds) {
    const key = JSON.stringify([
      b.selected,
      b.current,
      b.steps.map((s) => [s.revision, s.message, s.dependsOn]),
      b.history.map((e) => [e.revision, e.message, e.state, e.isHead]),
    ]);
    const group = groups.get(key);
    if (group) group.push(b);
    else groups.set(key, [b]);
  }
  return [...groups.values()];
}

/**
 * The lines of the review screen in a mode (pure): a line per bind, then its pending revisions
 * (or its history). Given `lines` (the lines the list may take) and more lines than that, the binds
 * that show the same lines ({@link groupReviewBinds}) share one `group` line and its revisions
 * instead; a bind alone in its group keeps its `bind` line.
 * @example
 * ```ts
 * reviewItems(await backend.review(['db2']), 'plan').filter(isFocusable).length; // steps + the Upgrade line
 * reviewItems(await backend.review(targets), 'plan', 17).length; // 2,000 tenants at one revision, 2 steps: 4 (group, steps, Upgrade)
 * ```
 */
export function reviewItems(model: ReviewModel, mode: ReviewMode, lines?: number): ReviewItem[] {
  const perBind = itemsOf(model, mode, model.binds.map((b) => [b]));
  if (lines === undefined || perBind.length <= lines) return perBind;
  return itemsOf(model, mode, groupReviewBinds(model.binds));
}

function itemsOf(model: ReviewModel, mode: ReviewMode, groups: readonly (readonly ReviewBind[])[]): ReviewItem[] {
  const items: ReviewItem[] = [];
  for (const group of groups) {
    const bind = group[0]!;
    items.push(group.length === 1 ? { kind: 'bind', bind } : { kind: 'group', binds: group });
    const entries = mode === 'plan' ? bind.steps.map((step): ReviewItem => ({ kind: 'step', step })) : bind.history.map((entry): ReviewItem => ({ kind: 'history', bind: bind.bind, entry }));
    items.push(...(entries.length ? entries : [{ kind: 'empty', bind: bind.bind } as const]));
  }
  if (mode === 'plan' && model.totalSteps > 0) items.push({ kind: 'upgrade', binds: model.binds.filter((b) => b.steps.length).length, steps: model.totalSteps });
  return items;
}

/**
 * The review screen's state: the mode, a cursor per mode (an index among focusable lines), and
 * whether the Upgrade line asks to confirm the run.
 */
export interface ReviewState {
  /** What the screen lists: the plan or each bind's history. */
  readonly mode: ReviewMode;
  /**
   * The focused line in each mode, as an index among its focusable lines (each mode keeps its own).
   */
  readonly cursor: Readonly<Record<ReviewMode, number>>;
  /**
   * Enter on the Upgrade line asked `Run it? y / n` and awaits the answer: `y` runs the upgrade,
   * any other key drops the question (an enter meant for a revision never starts a run).
   */
  readonly confirming: boolean;
}

/** What changes a {@link ReviewState}; `count` is the number of focusable lines of the current mode. */
export type ReviewAction =
  | { readonly type: 'move'; readonly by: number; readonly count: number }
  | { readonly type: 'first'; readonly count: number }
  | { readonly type: 'last'; readonly count: number }
  | { readonly type: 'toggle-mode' }
  /** Enter on the Upgrade line: ask to confirm the run. */
  | { readonly type: 'ask' }
  /** The question answered (or dropped). */
  | { readonly type: 'dismiss' };

/** The review screen's state on entry: the plan, first revision focused. */
export const initialReviewState: ReviewState = Object.freeze({ mode: 'plan', cursor: Object.freeze({ plan: 0, history: 0 }), confirming: false });

/**
 * The review screen's reducer (plain function).
 * @example
 * ```ts
 * reviewReducer(initialReviewState, { type: 'toggle-mode' }).mode; // 'history'
 * reviewReducer(initialReviewState, { type: 'ask' }).confirming; // true: enter on the Upgrade line asks first
 * ```
 */
export function reviewReducer(state: ReviewState, action: ReviewAction): ReviewState {
  if (action.type === 'ask') return { ...state, confirming: true };
  if (action.type === 'dismiss') return { ...state, confirming: false };
  if (action.type === 'toggle-mode') return { ...state, mode: state.mode === 'plan' ? 'history' : 'plan', confirming: false };
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
