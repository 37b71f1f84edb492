import { useInput, type Key } from 'ink';
import { useContext, useLayoutEffect, useRef } from 'react';
import { forEachKey, KeyRouterContext } from './input-router.js';

/**
 * A screen's key handling. Below an {@link InputRouter} (as in the app), the handler is
 * registered while the screen renders, so no key typed right after a screen appears is lost;
 * elsewhere (a screen on its own) it is Ink's `useInput`. Either way, several printable
 * characters arriving at once are handled one by one, so handlers read their state through a
 * getter to see the previous character's effect. `typing` (read at each key) says the screen takes
 * typed text now: printable characters then reach it alone, not the app's keys such as `?`.
 *
 * @example
 * ```ts
 * const [, dispatch] = useLatestReducer(bindsReducer, initialBindsState(['default', 'db2']));
 * useScreenInput((input, key) => { if (input === 'j' || key.downArrow) dispatch({ type: 'move', by: 1 }); }, { isActive: true });
 * ```
 */
export function useScreenInput(handler: (input: string, key: Key) => void, options: { isActive?: boolean; typing?: () => boolean } = {}): void {
  const isActive = options.isActive ?? true;
  const router = useContext(KeyRouterContext);
  const id = useRef<symbol>(Symbol('screen-input'));
  // Registered during render: the frame that shows the screen comes after this.
  router?.set(id.current, handler, isActive, options.typing);
  // Removed in the commit that unmounts the screen (a layout effect's cleanup, before the frame is
  // drawn): a passive effect's would run in a task of its own, after that frame, and a key typed
  // in between would still reach the screen that is gone (`q` on a loading screen just replaced).
  useLayoutEffect(() => {
    if (!router) return undefined;
    const key = id.current;
    return () => router.delete(key);
  }, [router]);
  useInput((input, key) => forEachKey(input, key, handler), { isActive: router === undefined && isActive });
}
