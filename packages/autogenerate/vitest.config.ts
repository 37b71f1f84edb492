import { defineConfig, mergeConfig } from 'vitest/config';
import packages from '../../vitest.packages.js';

export default mergeConfig(
  packages,
  defineConfig({
    // Test files in a worker share their imports (each file still runs its own code): CPU ~29 s -> ~18 s.
    test: { isolate: false },
  }),
);
