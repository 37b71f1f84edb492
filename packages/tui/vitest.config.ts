import { defineConfig, mergeConfig } from 'vitest/config';
import packages from '../../vitest.packages.js';

export default mergeConfig(
  packages,
  defineConfig({
    test: {
      // Test files in a worker share their imports (each file still runs its own code).
      isolate: false,
      // Loads Ink for a terminal before any test file (Ink's CI check runs once, when it loads).
      setupFiles: ['test/support/setup.ts'],
    },
  }),
);
