import { defineConfig, mergeConfig } from 'vitest/config';
import packages from '../../vitest.packages.js';

export default mergeConfig(
  packages,
  defineConfig({
    test: {
      // Test files in a worker share their imports (each file still runs its own code): CPU ~87 s -> ~22 s.
      isolate: false,
      // Hooks of support modules: a hook registered when a shared module loads would reach only the first file.
      setupFiles: ['test/support/setup.ts'],
    },
  }),
);
