import { useScreenInput } from '../../shared/use-screen-input.js';
import { keys } from '../../shared/keys.js';
import type { ScrollAction } from '../../shared/use-scroll-state.js';

/** Props of {@link useRevision}. */
export interface UseRevisionProps {
  /** Whether the screen takes the keys. */
  readonly isActive: boolean;
  /** Scrolls the viewer (`dispatch` of `useScrollState`). */
  readonly dispatch: (action: ScrollAction) => void;
  /**
   * `a`: every statement whole, or long data statements cut again. Updates the scroll state's
   * length at once (a `resize` through `dispatch`), not at the next render: a key of the same
   * chunk (`aG`) is handled right after it.
   */
  readonly onToggleFull: () => void;
  /** `q` or Esc: back. */
  readonly onBack: () => void;
}

/**
 * Key handling of the revision viewer: arrows, j/k and enter scroll by line, space/b (or page keys)
 * by page, g/G to either end, `a` shows every statement whole (again: cuts long data statements),
 * `q`/Esc goes back.
 * @example
 * ```ts
 * const [, dispatch] = useScrollState(120, 20);
 * useRevision({ isActive: true, dispatch, onToggleFull: () => undefined, onBack: () => undefined });
 * ```
 */
export function useRevision({ isActive, dispatch, onToggleFull, onBack }: UseRevisionProps): void {
  useScreenInput(
    (input, key) => {
      if (keys.up(input, key)) dispatch({ type: 'scroll', by: -1 });
      else if (keys.down(input, key) || key.return) dispatch({ type: 'scroll', by: 1 });
      else if (keys.pageDown(input, key) || input === ' ') dispatch({ type: 'page', by: 1 });
      else if (keys.pageUp(input, key) || input === 'b') dispatch({ type: 'page', by: -1 });
      else if (keys.first(input, key)) dispatch({ type: 'top' });
      else if (keys.last(input, key)) dispatch({ type: 'bottom' });
      else if (input === 'a' && !key.ctrl && !key.meta) onToggleFull();
      else if (keys.back(input, key)) onBack();
    },
    { isActive },
  );
}
