#!/usr/bin/env node
// Before anything allocates: keep V8's young generation small (a short process's peak memory).
// Before anything runs: optimize only code that runs hot for long (a short process's CPU).
import { raiseOptimizationBudget } from '../dist/optimization-budget.js';
import { limitYoungGeneration } from '../dist/young-generation.js';

limitYoungGeneration();
raiseOptimizationBudget();
// The CLI as one file, commander included (tools/build/bundle-package.mjs --one-file): Node loads
// each ES module file on its own, and at start-up that cost more than the code.
const { main } = await import('../dist/bundle/main.js');
process.exitCode = await main(process.argv.slice(2));
