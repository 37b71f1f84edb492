import { withSharedImports } from '../../vitest.packages.js';

// Test files in a worker share their imports. test/support/setup.ts loads Ink for a terminal before
// any test file (Ink's CI check runs once, when it loads).
export default withSharedImports();
