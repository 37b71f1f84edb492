import { useEffect, useState } from 'react';

/** A value being loaded. */
export type AsyncState<T> = { readonly status: 'loading' } | { readonly status: 'done'; readonly value: T } | { readonly status: 'error'; readonly error: unknown };

/**
 * Loads a value when `key` changes (and on mount); a result that arrives after unmounting or
 * after `key` changed is dropped.
 * @example
 * ```ts
 * const binds = ['default', 'db2'];
 * const review = useAsync(() => backend.review(binds), binds.join(','));
 * ```
 */
export function useAsync<T>(load: () => Promise<T>, key: string): AsyncState<T> {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    setState({ status: 'loading' });
    load().then(
      (value) => live && setState({ status: 'done', value }),
      (error: unknown) => live && setState({ status: 'error', error }),
    );
    return () => {
      live = false;
    };
    // The key names what `load` loads.
  }, [key]);
  return state;
}
