import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * The vitest config of a package that depends on core: tests resolve `@multidb/core` (and its
 * `cache-folder` entry) to its source, so they never run against a stale `dist`.
 */
export default defineConfig({
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
