import { withSharedImports } from '../../vitest.packages.js';

// Test files in a worker share their imports (CPU ~87 s -> ~22 s). test/support/setup.ts holds the
// hooks of support modules: a hook registered when a shared module loads would reach only the first file.
export default withSharedImports();
