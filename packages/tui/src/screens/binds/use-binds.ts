import { useScreenInput } from '../../shared/use-screen-input.js';
import { keys } from '../../shared/keys.js';
import { bindsToReview, type BindsAction, type BindsState } from './use-binds-state.js';

/** Props of {@link useBinds}. */
export interface UseBindsProps {
  /** Whether the screen takes the keys. */
  readonly isActive: boolean;
  /** The latest state (`get` of `useBindsState`). */
  readonly getState: () => BindsState;
  /** Changes the binds state (`dispatch` of `useBindsState`). */
  readonly dispatch: (action: BindsAction) => void;
  /** Enter: the selected binds (or the focused one). */
  readonly onReview: (binds: string[]) => void;
  /** `d`: the focused bind. */
  readonly onDowngrade: (bind: string) => void;
  /** `r`. */
  readonly onRefresh: () => void;
  /** `q` or Esc. */
  readonly onBack: () => void;
}

/**
 * Key handling of the binds screen: arrows or j/k move, g/G jump to the ends, space toggles, `a`
 * toggles all, enter reviews, `d` downgrades, `r` refreshes, `q`/Esc goes back.
 * @example
 * ```ts
 * const [, dispatch, get] = useBindsState(['default', 'db2']);
 * useBinds({ isActive: true, getState: get, dispatch, onReview: console.log, onDowngrade: console.log, onRefresh: () => undefined, onBack: () => undefined });
 * ```
 */
export function useBinds({ isActive, getState, dispatch, onReview, onDowngrade, onRefresh, onBack }: UseBindsProps): void {
  useScreenInput(
    (input, key) => {
      if (keys.up(input, key)) dispatch({ type: 'move', by: -1 });
      else if (keys.down(input, key)) dispatch({ type: 'move', by: 1 });
      else if (keys.first(input, key)) dispatch({ type: 'first' });
      else if (keys.last(input, key)) dispatch({ type: 'last' });
      else if (input === ' ') dispatch({ type: 'toggle' });
      else if (input === 'a') dispatch({ type: 'toggle-all' });
      else if (key.return) {
        const binds = bindsToReview(getState());
        if (binds.length) onReview(binds);
      } else if (input === 'd') {
        const state = getState();
        const bind = state.names[state.cursor];
        if (bind !== undefined) onDowngrade(bind);
      } else if (input === 'r') onRefresh();
      else if (keys.back(input, key)) onBack();
    },
    { isActive },
  );
}
