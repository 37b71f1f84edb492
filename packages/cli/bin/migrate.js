#!/usr/bin/env node
// Before anything allocates: keep V8's young generation small (a short process's peak memory).
// Before anything runs: optimize only code that runs hot for long (a short process's CPU).
import { raiseOptimizationBudget } from '../dist/optimization-budget.js';
import { limitYoungGeneration } from '../dist/young-generation.js';
import { loadMain } from '../dist/script-cache.js';

limitYoungGeneration();
raiseOptimizationBudget();
// @multidb/core and the CLI (commander included) as scripts with V8 code caches in the project's
// cache folder (src/script-cache.ts): Node 20 compiles ES modules from source at every start.
const { main, saveCaches } = await loadMain();
process.exitCode = await main(process.argv.slice(2));
saveCaches();
