#!/usr/bin/env node
// Before anything allocates: keep V8's young generation small (a short process's peak memory).
// Before anything runs: optimize only code that runs hot for long (a short process's CPU).
import { raiseOptimizationBudget } from '../dist/optimization-budget.js';
import { limitYoungGeneration } from '../dist/young-generation.js';

limitYoungGeneration();
raiseOptimizationBudget();
const { main } = await import('../dist/main.js');
process.exitCode = await main(process.argv.slice(2));
