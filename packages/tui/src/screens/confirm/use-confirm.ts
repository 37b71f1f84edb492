import { useScreenInput } from '../../shared/use-screen-input.js';
import { keys } from '../../shared/keys.js';
import type { ListAction, ListState } from '../../shared/use-list-state.js';

/** Props of {@link useConfirm}. */
export interface UseConfirmProps {
  /** Whether the screen takes the keys. */
  readonly isActive: boolean;
  /** The latest cursor over the steps (`get` of `useListState`). */
  readonly getState: () => ListState;
  /** Moves the cursor. */
  readonly dispatch: (action: ListAction) => void;
  /** `y`. */
  readonly onConfirm: () => void;
  /** Enter: the index of the focused step. */
  readonly onOpen: (index: number) => void;
  /** `n`, `q` or Esc. */
  readonly onCancel: () => void;
}

/**
 * Key handling of the confirmation: `y` runs, `n`/`q`/Esc cancels, arrows move, enter shows a
 * step's SQL.
 * @example
 * ```ts
 * const [, dispatch, get] = useListState(3);
 * useConfirm({ isActive: true, getState: get, dispatch, onConfirm: () => undefined, onOpen: (i) => console.log(i), onCancel: () => undefined });
 * ```
 */
export function useConfirm({ isActive, getState, dispatch, onConfirm, onOpen, onCancel }: UseConfirmProps): void {
  useScreenInput(
    (input, key) => {
      if (input === 'y' || input === 'Y') onConfirm();
      else if (input === 'n' || input === 'N' || keys.back(input, key)) onCancel();
      else if (keys.up(input, key)) dispatch({ type: 'move', by: -1 });
      else if (keys.down(input, key)) dispatch({ type: 'move', by: 1 });
      else if (key.return) {
        const { cursor, count } = getState();
        if (count > 0) onOpen(cursor);
      }
    },
    { isActive },
  );
}
