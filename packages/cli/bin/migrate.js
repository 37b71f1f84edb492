#!/usr/bin/env node
// Before anything allocates: keep V8's young generation small (a short process's peak memory).
import { limitYoungGeneration } from '../dist/young-generation.js';

limitYoungGeneration();
// The CLI as one file, commander included (tools/build/bundle-package.mjs --one-file): Node loads
// each ES module file on its own, and at start-up that cost more than the code.
const { main } = await import('../dist/bundle/main.js');
process.exitCode = await main(process.argv.slice(2));
