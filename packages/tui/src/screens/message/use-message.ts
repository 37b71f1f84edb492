import { keys } from '../../shared/keys.js';
import { useScreenInput } from '../../shared/use-screen-input.js';

/** Props of {@link useMessage}. */
export interface UseMessageProps {
  /** Whether the screen takes the keys. */
  readonly isActive: boolean;
  /** Whether the message is an error: then enter goes back too. */
  readonly isError: boolean;
  /** `q` or Esc (and enter on an error). */
  readonly onBack: () => void;
}

/**
 * Key handling of the message screen: `q` or Esc go back; on an error, enter does too (a loading
 * message ignores enter, so a key typed early does not leave the screen that is about to show).
 *
 * @example
 * ```ts
 * useMessage({ isActive: true, isError: false, onBack: () => console.log('back') });
 * ```
 */
export function useMessage({ isActive, isError, onBack }: UseMessageProps): void {
  useScreenInput(
    (input, key) => {
      if (keys.back(input, key) || (isError && key.return)) onBack();
    },
    { isActive },
  );
}
