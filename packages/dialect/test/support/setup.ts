// The vitest setup file of the dialect tests. Setup files run again before each test file, also
// with `isolate: false`, where the support modules are loaded only once per worker.
import { afterEach } from 'vitest';
import { runCleanups } from './cleanup.js';

afterEach(runCleanups);
