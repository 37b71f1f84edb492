#!/usr/bin/env node
// Before anything allocates: keep V8's young generation small (a short process's peak memory).
import { limitYoungGeneration } from '../dist/young-generation.js';

limitYoungGeneration();
const { main } = await import('../dist/main.js');
process.exitCode = await main(process.argv.slice(2));
