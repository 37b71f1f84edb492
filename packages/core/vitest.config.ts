import { configDefaults, defineConfig } from 'vitest/config';

const TESTS = ['src/**/*.test.ts', 'src/**/*.test.tsx', 'test/**/*.test.ts', 'test/**/*.test.tsx'];
/** module-loader's test mocks a module (vi.mock), which needs a module graph of its own. */
const MOCKING = ['src/script/module-loader.test.ts'];

export default defineConfig({
  test: {
    passWithNoTests: false,
    // A guard against hangs, not a speed check: tests that import through jiti take seconds on a loaded machine.
    testTimeout: 30_000,
    projects: [
      // Test files in a worker share their imports (each file still runs its own code): CPU ~45 s -> ~27 s.
      { extends: true, test: { name: 'core', include: TESTS, exclude: [...configDefaults.exclude, ...MOCKING], isolate: false } },
      { extends: true, test: { name: 'core (isolated)', include: MOCKING } },
    ],
  },
});
