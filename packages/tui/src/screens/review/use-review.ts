import { useScreenInput } from '../../shared/use-screen-input.js';
import { keys } from '../../shared/keys.js';
import type { ReviewModel } from '../../backend/tui-backend.js';
import { isFocusable, reviewItems, type ReviewAction, type ReviewItem, type ReviewMode, type ReviewState } from './use-review-state.js';

/** Props of {@link useReview}. */
export interface UseReviewProps {
  /** Whether the screen takes the keys. */
  readonly isActive: boolean;
  /** The planned upgrade the screen shows (its lines decide what the cursor can focus). */
  readonly model: ReviewModel;
  /**
   * The lines the screen shows in a mode (default: `reviewItems(model, mode)`, a line per bind);
   * the screen passes its own when it groups binds to fit its height.
   */
  readonly items?: (mode: ReviewMode) => readonly ReviewItem[];
  /** The latest state (`get` of `useReviewState`). */
  readonly getState: () => ReviewState;
  /** Changes the review state (`dispatch` of `useReviewState`). */
  readonly dispatch: (action: ReviewAction) => void;
  /** Enter on a revision (a pending step or a history entry). */
  readonly onOpen: (bind: string, revision: string) => void;
  /** `u`, or `y` once enter on the Upgrade line asked to confirm. */
  readonly onUpgrade: () => void;
  /** `q` or Esc: back to the binds. */
  readonly onBack: () => void;
}

/**
 * Key handling of the review screen: arrows or j/k move, g/G jump to the ends, enter opens a
 * revision (or, on the Upgrade line, asks `Run it? y / n`: `y` upgrades, any other key drops the
 * question, so an enter pressed once too often never starts a run), `u` upgrades at once (the
 * deliberate key), `h` toggles the history, `q`/Esc goes back.
 * @example
 * ```ts
 * const model = await backend.review(['db2']);
 * const [, dispatch, get] = useReviewState();
 * useReview({ isActive: true, model, getState: get, dispatch, onOpen: console.log, onUpgrade: () => undefined, onBack: () => undefined });
 * ```
 */
export function useReview({ isActive, model, items = (mode) => reviewItems(model, mode), getState, dispatch, onOpen, onUpgrade, onBack }: UseReviewProps): void {
  useScreenInput(
    (input, key) => {
      const state = getState();
      if (state.confirming) {
        dispatch({ type: 'dismiss' });
        if ((input === 'y' || input === 'Y' || input === 'u') && model.totalSteps > 0) onUpgrade();
        return;
      }
      const focusable = items(state.mode).filter(isFocusable);
      const count = focusable.length;
      if (keys.up(input, key)) dispatch({ type: 'move', by: -1, count });
      else if (keys.down(input, key)) dispatch({ type: 'move', by: 1, count });
      else if (keys.first(input, key)) dispatch({ type: 'first', count });
      else if (keys.last(input, key)) dispatch({ type: 'last', count });
      else if (input === 'h') dispatch({ type: 'toggle-mode' });
      else if (input === 'u') {
        if (model.totalSteps > 0) onUpgrade();
      } else if (key.return) {
        const item = focusable[state.cursor[state.mode]];
        if (item?.kind === 'step') onOpen(item.step.bind, item.step.revision);
        else if (item?.kind === 'history') onOpen(item.bind, item.entry.revision);
        else if (item?.kind === 'upgrade') dispatch({ type: 'ask' });
      } else if (keys.back(input, key)) onBack();
    },
    { isActive },
  );
}
