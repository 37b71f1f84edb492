import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/fixtures/**'],
    // Most of an end-to-end test's time is spent waiting on a database server or a child `migrate`
    // process, so more files run at once than the machine has cores (vitest's default on 2 cores
    // is one at a time).
    maxWorkers: 3,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Nx sets FORCE_COLOR for its tasks; frames and outputs are compared without colour.
    env: { FORCE_COLOR: '0' },
  },
});
