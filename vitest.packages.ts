import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vitest/config';

/**
 * The vitest config of a package that depends on core: tests resolve `@multidb/core` (and its
 * `cache-folder` entry) to its source, so they never run against a stale `dist`.
 */
const packages = defineConfig({
  resolve: {
    alias: [
      { find: /^@multidb\/core$/, replacement: fileURLToPath(new URL('./packages/core/src/index.ts', import.meta.url)) },
      { find: /^@multidb\/core\/cache-folder$/, replacement: fileURLToPath(new URL('./packages/core/src/script/cache-folder.ts', import.meta.url)) },
      // The dialects' build loads itself with require() where Node can (see tools/build/bundle-package.mjs):
      // natively, beside vitest's module graph, so its core would be the built one, not this source.
      { find: /^@multidb\/dialect\/registry$/, replacement: fileURLToPath(new URL('./packages/dialect/src/registry.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Guards against hangs, not speed checks: a hook that writes, loads and runs revisions (autogenerate's
    // render-round-trip) can take over the default 10 s on a loaded machine, just as a test can.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Nx sets FORCE_COLOR for its tasks; frames and outputs are compared without colour.
    env: { FORCE_COLOR: '0' },
  },
});

export default packages;

/**
 * The vitest config of a package (the default above) whose test files in a worker share their
 * imports (`isolate: false`: each file still runs its own code, but a support module loads once
 * per worker), with `test/support/setup.ts` run before each test file: what every file needs
 * (hooks, a module loaded before any file) goes there, not in a support module's top level.
 * @param options - `maxWorkers`: how many test files run at once (vitest's default on 2 cores is
 *   one), for a package whose files mostly wait (on a server, on worker threads); default vitest's.
 * @example
 * ```ts
 * // packages/tui/vitest.config.ts
 * import { withSharedImports } from '../../vitest.packages.js';
 * export default withSharedImports({ maxWorkers: 2 });
 * ```
 */
export function withSharedImports(options: { readonly maxWorkers?: number } = {}): typeof packages {
  const workers = options.maxWorkers === undefined ? {} : { maxWorkers: options.maxWorkers };
  return mergeConfig(packages, defineConfig({ test: { isolate: false, setupFiles: ['test/support/setup.ts'], ...workers } }));
}
