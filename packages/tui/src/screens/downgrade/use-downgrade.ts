import { useScreenInput } from '../../shared/use-screen-input.js';
import { keys } from '../../shared/keys.js';
import type { ListAction, ListState } from '../../shared/use-list-state.js';

/** Props of {@link useDowngrade}. */
export interface UseDowngradeProps {
  /** Whether the screen takes the keys. */
  readonly isActive: boolean;
  /** The latest cursor (`get` of `useListState`). */
  readonly getState: () => ListState;
  /** Moves the cursor. */
  readonly dispatch: (action: ListAction) => void;
  /** Enter: the index of the focused choice. */
  readonly onChoose: (index: number) => void;
  /** `q` or Esc: back to the binds. */
  readonly onBack: () => void;
}

/**
 * Key handling of the downgrade screen: arrows or j/k move, g/G jump to the ends, enter chooses,
 * `q`/Esc goes back.
 * @example
 * ```ts
 * const [, dispatch, get] = useListState(4);
 * useDowngrade({ isActive: true, getState: get, dispatch, onChoose: (i) => console.log(i), onBack: () => undefined });
 * ```
 */
export function useDowngrade({ isActive, getState, dispatch, onChoose, onBack }: UseDowngradeProps): void {
  useScreenInput(
    (input, key) => {
      if (keys.up(input, key)) dispatch({ type: 'move', by: -1 });
      else if (keys.down(input, key)) dispatch({ type: 'move', by: 1 });
      else if (keys.first(input, key)) dispatch({ type: 'first' });
      else if (keys.last(input, key)) dispatch({ type: 'last' });
      else if (key.return) {
        const { cursor, count } = getState();
        if (count > 0) onChoose(cursor);
      } else if (keys.back(input, key)) onBack();
    },
    { isActive },
  );
}
