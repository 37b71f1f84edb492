import { afterEach } from 'vitest';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

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
