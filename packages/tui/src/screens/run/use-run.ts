import { useScreenInput } from '../../shared/use-screen-input.js';
import { keys } from '../../shared/keys.js';

/** Props of {@link useRun}. */
export interface UseRunProps {
  /** Whether the screen takes the keys. */
  readonly isActive: boolean;
  /** Whether every part of the run has ended. */
  readonly finished: boolean;
  /** Enter, `q` or Esc once the run has finished. */
  readonly onBack: () => void;
  /** `q` or Esc while the run is going: it cannot be left mid-revision. */
  readonly onBusy: () => void;
}

/**
 * Key handling of the run screen: enter, `q` or Esc go back once the run has finished; while it
 * runs they only call `onBusy` (a run cannot be left mid-revision).
 * @example
 * ```ts
 * useRun({ isActive: true, finished: false, onBack: () => undefined, onBusy: () => console.log('the run is still going') });
 * ```
 */
export function useRun({ isActive, finished, onBack, onBusy }: UseRunProps): void {
  useScreenInput(
    (input, key) => {
      if (!(keys.back(input, key) || key.return)) return;
      if (finished) onBack();
      else onBusy();
    },
    { isActive },
  );
}
