import { useCallback, useReducer, useRef } from 'react';

/**
 * `useReducer` whose latest state can also be read synchronously. Ink re-subscribes an input
 * handler only after React commits, so a key typed right after another can reach a handler
 * that closed over the previous state; handlers read `get()` instead, which every dispatch
 * updates at once.
 *
 * @returns the state to render, `dispatch`, and `get` (the state after every dispatch so far).
 * @example
 * ```ts
 * import { useInput } from 'ink';
 * const [, dispatch, get] = useLatestReducer(bindsReducer, initialBindsState(['default', 'db2']));
 * useInput(() => { dispatch({ type: 'toggle' }); console.log(get().selected); });
 * ```
 */
export function useLatestReducer<S, A>(reducer: (state: S, action: A) => S, initial: S | (() => S)): [S, (action: A) => void, () => S] {
  const ref = useRef<S | undefined>(undefined);
  if (ref.current === undefined) ref.current = typeof initial === 'function' ? (initial as () => S)() : initial;
  const [, render] = useReducer((n: number) => n + 1, 0);
  const dispatch = useCallback(
    (action: A) => {
      const next = reducer(ref.current as S, action);
      if (next !== ref.current) {
        ref.current = next;
        render();
      }
    },
    [reducer],
  );
  const get = useCallback(() => ref.current as S, []);
  return [ref.current, dispatch, get];
}
