import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/fixtures/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Nx sets FORCE_COLOR for its tasks; frames and outputs are compared without colour.
    env: { FORCE_COLOR: '0' },
  },
});
