import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'],
    passWithNoTests: false,
    // A guard against hangs, not a speed check: tests that import through jiti take seconds on a loaded machine.
    testTimeout: 30_000,
  },
});
