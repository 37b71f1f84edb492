import { useScreenInput } from '../../shared/use-screen-input.js';

/** Props of {@link useHelp}. */
export interface UseHelpProps {
  /** Whether the help takes the keys. */
  readonly isActive: boolean;
  /** Any key but `?` (which the app handles: it toggles the help). */
  readonly onClose: () => void;
}

/**
 * Key handling of the `?` help: any key closes it, except `?`, which the app itself treats as
 * the toggle (so it is not handled twice).
 *
 * @example
 * ```ts
 * const [, dispatch] = useLatestReducer(appReducer, initialAppState(backend.listBinds()));
 * useHelp({ isActive: true, onClose: () => dispatch({ type: 'help', open: false }) });
 * ```
 */
export function useHelp({ isActive, onClose }: UseHelpProps): void {
  useScreenInput(
    (input) => {
      if (input !== '?') onClose();
    },
    { isActive },
  );
}
