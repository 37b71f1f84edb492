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
  /** `r`: read the config file and every bind again. */
  readonly onRefresh: () => void;
  /** `q` or Esc. */
  readonly onBack: () => void;
}

/**
 * Key handling of the binds screen: arrows or j/k move, g/G jump to the ends, space toggles, `a`
 * toggles all shown, `b` toggles the focused bind's branch, `/` types a filter (enter keeps it,
 * Esc clears it; Esc also clears a kept one; while it is typed every printable key, `?` and `q`
 * included, goes to it), enter reviews, `d` downgrades, `r` reads the config and every bind again,
 * `q`/Esc goes back.
 * @example
 * ```ts
 * const [, dispatch, get] = useBindsState(['default', 'db2']);
 * useBinds({ isActive: true, getState: get, dispatch, onReview: console.log, onDowngrade: console.log, onRefresh: () => undefined, onBack: () => undefined });
 * ```
 */
export function useBinds({ isActive, getState, dispatch, onReview, onDowngrade, onRefresh, onBack }: UseBindsProps): void {
  useScreenInput(
    (input, key) => {
      const state = getState();
      if (state.filtering) {
        if (key.return) dispatch({ type: 'filter-end', keep: true });
        else if (key.escape) dispatch({ type: 'filter-end', keep: false });
        else if (key.backspace || key.delete) dispatch({ type: 'filter-backspace' });
        else if (key.upArrow) dispatch({ type: 'move', by: -1 });
        else if (key.downArrow) dispatch({ type: 'move', by: 1 });
        else if (input && !key.ctrl && !key.meta && !key.tab) dispatch({ type: 'filter-type', text: input });
        return;
      }
      if (keys.up(input, key)) dispatch({ type: 'move', by: -1 });
      else if (keys.down(input, key)) dispatch({ type: 'move', by: 1 });
      else if (keys.first(input, key)) dispatch({ type: 'first' });
      else if (keys.last(input, key)) dispatch({ type: 'last' });
      else if (input === ' ') dispatch({ type: 'toggle' });
      else if (input === 'a') dispatch({ type: 'toggle-all' });
      else if (input === 'b') dispatch({ type: 'toggle-branch' });
      else if (input === '/') dispatch({ type: 'filter-start' });
      else if (key.return) {
        const binds = bindsToReview(state);
        if (binds.length) onReview(binds);
      } else if (input === 'd') {
        const bind = bindsToReview({ ...state, selected: [] })[0];
        if (bind !== undefined) onDowngrade(bind);
      } else if (input === 'r') onRefresh();
      else if (key.escape && state.filter !== '') dispatch({ type: 'filter-end', keep: false });
      else if (keys.back(input, key)) onBack();
    },
    { isActive, typing: () => getState().filtering },
  );
}
