import { defineConfig } from 'vitest/config';

// Node 20 parses the certificate file named by NODE_EXTRA_CA_CERTS at every process start, before
// any JavaScript (~40-50 ms of CPU each; hosts that export it for npm's registry access, as the CI
// machines do). These tests talk to local servers without TLS and start well over a thousand Node
// processes (each `migrate` they run, vitest's workers), so the variable is dropped for them; it is
// taken out here, before vitest starts its workers, so every process below inherits its absence.
delete process.env.NODE_EXTRA_CA_CERTS;

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/fixtures/**'],
    // Most of an end-to-end test's time is spent waiting on a database server or a child `migrate`
    // process, so more files run at once than the machine has cores (vitest's default on 2 cores
    // is one at a time).
    maxWorkers: 3,
    // Files share their worker's module cache (vitest starts a fresh process per file otherwise):
    // ~500 ms of CPU per file saved on importing the built packages and drivers again, 16 % of the
    // suite's wall time on 2 cores (767 → 644 s, 2026-12-08). Tests keep no state across files: a
    // test that sets a global removes it, databases and folders are per file.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Nx sets FORCE_COLOR for its tasks; frames and outputs are compared without colour.
    env: { FORCE_COLOR: '0' },
  },
});
