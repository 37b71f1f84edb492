const cleanups: (() => Promise<void> | void)[] = [];

/**
 * Registers a cleanup that runs after the current test (cleanups run last registered first).
 * @example
 * ```ts
 * const conn = await sqliteDriver.connect({ bind: 'a', url: 'sqlite::memory:', baseDir: '/' });
 * onCleanup(() => conn.close());
 * ```
 */
export function onCleanup(fn: () => Promise<void> | void): void {
  cleanups.push(fn);
}

/**
 * Runs the registered cleanups, last registered first. `setup.ts` (a vitest setup file) calls it
 * after each test of every file: with `isolate: false` this module is loaded once per worker, so
 * a hook registered here on import would only reach the first file that imported it.
 */
export async function runCleanups(): Promise<void> {
  while (cleanups.length) await cleanups.pop()!();
}
