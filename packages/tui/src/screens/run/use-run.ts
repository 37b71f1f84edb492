import { useScreenInput } from '../../shared/use-screen-input.js';
import { keys } from '../../shared/keys.js';

/** Where a scroll key moves the run screen's list of running and failed binds. */
export type RunScroll = 'up' | 'down' | 'page-up' | 'page-down' | 'top' | 'bottom';

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
  /** Arrows, j/k, page keys, g/G: scroll the running and failed binds (when they do not all fit). */
  readonly onScroll?: (to: RunScroll) => void;
}

/**
 * Key handling of the run screen: enter, `q` or Esc go back once the run has finished; while it
 * runs they only call `onBusy` (a run cannot be left mid-revision). Arrows, j/k, page up/down
 * and g/G scroll, at any time.
 * @example
 * ```ts
 * useRun({ isActive: true, finished: false, onBack: () => undefined, onBusy: () => console.log('the run is still going') });
 * ```
 */
export function useRun({ isActive, finished, onBack, onBusy, onScroll }: UseRunProps): void {
  useScreenInput(
    (input, key) => {
      const to: RunScroll | undefined = keys.up(input, key)
        ? 'up'
        : keys.down(input, key)
          ? 'down'
          : keys.pageUp(input, key)
            ? 'page-up'
            : keys.pageDown(input, key)
              ? 'page-down'
              : keys.first(input, key)
                ? 'top'
                : keys.last(input, key)
                  ? 'bottom'
                  : undefined;
      if (to !== undefined) {
        onScroll?.(to);
        return;
      }
      if (!(keys.back(input, key) || key.return)) return;
      if (finished) onBack();
      else onBusy();
    },
    { isActive },
  );
}
