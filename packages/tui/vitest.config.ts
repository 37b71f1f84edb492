import { withSharedImports } from '../../vitest.packages.js';

// Test files in a worker share their imports. test/support/setup.ts loads Ink for a terminal before
// any test file (Ink's CI check runs once, when it loads).
// Two files at once (vitest's default on 2 cores is one): a few files wait most of their time
// (many-tenants runs 2,000 SQLite tenants on worker threads), ~93 → ~28 s of wall time for the
// same ~38 s of CPU (2026-12-08).
export default withSharedImports({ maxWorkers: 2 });
