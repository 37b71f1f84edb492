import { withSharedImports } from '../../vitest.packages.js';

// Test files in a worker share their imports (CPU ~87 s -> ~22 s). test/support/setup.ts holds the
// hooks of support modules: a hook registered when a shared module loads would reach only the first file.
// Most of these tests wait on a server (lock timeouts, statements held, connections killed): three
// files at once (vitest's default on 2 cores is one) take the run from ~210 s to ~110 s of wall
// time for the same ~45 s of CPU (2026-12-08). Each file makes its own databases.
export default withSharedImports({ maxWorkers: 3 });
